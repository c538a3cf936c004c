import Foundation

/// A date typed in a form or a JSON body: ISO (`2019-03-14`, what `<input type="date">`
/// sends) or French (`14/03/2019`, what people type where the browser has no date picker).
public enum DateField {
    public enum Parsed: Equatable {
        case empty
        case date(LocalDate)
        case unreadable
    }

    public static func parse(_ raw: String) -> Parsed {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return .empty }
        if let d = LocalDate(iso: text) { return .date(d) }
        let parts = text.split(separator: "/")
        if parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]), parts[2].count == 4,
            let date = LocalDate(year: y, month: m, day: d)
        {
            return .date(date)
        }
        return .unreadable
    }

    public static func optional(_ raw: String) -> LocalDate? {
        if case .date(let d) = parse(raw) { return d }
        return nil
    }
}
