import Foundation

/// Small JSON texts for `jsonb` columns (audit details), through JSONSerialization so that
/// every string is escaped properly.
enum JSONText {
    static func object(_ values: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension JSONText {
    /// A JSON array of strings (a digest mail's lines).
    static func encode(_ strings: [String]) -> String {
        let data = (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The strings of a JSON array written by `encode`; empty when the text is not one.
    static func decodeStrings(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
