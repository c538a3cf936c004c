import Hummingbird

/// A file as a download, never cached (the exports hold personal data, the journal and the
/// PDF documents the families' money).
struct FileDownload: ResponseGenerator {
    let bytes: ByteBuffer
    let contentType: String
    /// With its extension.
    let fileName: String

    /// UTF-8 with its BOM (as `CSVWriter` writes it); `fileName` without `.csv`.
    static func csv(_ csv: String, fileName: String) -> FileDownload {
        FileDownload(bytes: ByteBuffer(string: csv), contentType: "text/csv; charset=utf-8", fileName: fileName + ".csv")
    }

    /// `fileName` without `.pdf`.
    static func pdf(_ bytes: [UInt8], fileName: String) -> FileDownload {
        FileDownload(bytes: ByteBuffer(bytes: bytes), contentType: "application/pdf", fileName: fileName + ".pdf")
    }

    var response: Response {
        Response(
            status: .ok,
            headers: [
                .contentType: contentType, .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"\(fileName)\"",
            ],
            body: .init(byteBuffer: bytes))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }
}
