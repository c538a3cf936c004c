import Foundation
import Hummingbird

/// A submitted `application/x-www-form-urlencoded` form. Bodies are read up to a small
/// limit: no form of ours is larger, and a huge body must not fill memory.
struct FormData: Sendable {
    private(set) var fields: [String: String] = [:]
    /// Every value of repeated fields (checkboxes sharing a name), in order.
    private(set) var lists: [String: [String]] = [:]

    static let maximumBytes = 64 * 1024

    init(fields: [String: String]) {
        self.fields = fields
    }

    init(request: Request, context: AppRequestContext) async throws {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maximumBytes)
        self.init(encoded: String(buffer: buffer))
    }

    init(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            // The first value wins: a repeated field cannot override a checked one.
            if fields[key] == nil { fields[key] = value }
            lists[key, default: []].append(value)
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// All values sent under `name` (several checkboxes).
    func all(_ name: String) -> [String] { lists[name] ?? [] }

    /// A field trimmed, or "" when absent.
    func text(_ name: String) -> String {
        (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func isChecked(_ name: String) -> Bool {
        guard let v = fields[name] else { return false }
        return v == "on" || v == "1" || v == "true" || v == "oui"
    }

    private static func decode(_ s: Substring) -> String {
        String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}
