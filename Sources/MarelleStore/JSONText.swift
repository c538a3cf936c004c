import Foundation

/// Small JSON texts for `jsonb` columns (audit details), through JSONSerialization so that
/// every string is escaped properly.
enum JSONText {
    static func object(_ values: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
