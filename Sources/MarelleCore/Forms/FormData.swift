import Foundation

/// A submitted `application/x-www-form-urlencoded` form, or the same fields from elsewhere
/// (a JSON body, a CSV row): the form rules read fields by name, whatever carried them.
public struct FormData: Sendable {
    /// The last value of each field, by name.
    public private(set) var fields: [String: String] = [:]
    /// Every value of repeated fields (checkboxes sharing a name), in order.
    private(set) var lists: [String: [String]] = [:]

    public init(fields: [String: String]) {
        self.fields = fields
    }

    public init(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            // The first value wins: a repeated field cannot override a checked one.
            if fields[key] == nil { fields[key] = value }
            lists[key, default: []].append(value)
        }
    }

    public subscript(_ name: String) -> String? { fields[name] }

    /// All values sent under `name` (several checkboxes).
    public func all(_ name: String) -> [String] { lists[name] ?? [] }

    /// A field trimmed, or "" when absent.
    public func text(_ name: String) -> String {
        (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func isChecked(_ name: String) -> Bool {
        guard let v = fields[name] else { return false }
        return v == "on" || v == "1" || v == "true" || v == "oui"
    }

    private static func decode(_ s: Substring) -> String {
        String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}
