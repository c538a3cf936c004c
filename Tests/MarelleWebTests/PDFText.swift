import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

extension TestClient.Response {
    /// The text of a PDF answer as poppler's `pdftotext -layout` reads it (amounts stay on
    /// their line's row), after checking that the answer is a PDF at all.
    func pdfText() async throws -> String {
        #expect(headers[.contentType] == "application/pdf")
        let bytes = body.map { Array(buffer: $0) } ?? []
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        let path = NSTemporaryDirectory() + "marelle-\(UUID().uuidString).pdf"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await Shell.run("/usr/bin/pdftotext", ["-layout", "-enc", "UTF-8", path, "-"])
        #expect(result.status == 0, "\(result.errors)")
        return result.output
    }
}
