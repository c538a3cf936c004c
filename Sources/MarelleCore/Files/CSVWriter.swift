import Foundation

/// A CSV file as French spreadsheets open it without asking: UTF-8 with a byte order mark
/// (Excel reads UTF-8 only with it), `;` between fields (the comma is the decimal separator),
/// CRLF line ends, quotes around a field that holds a `;`, a quote or a line break (RFC 4180).
/// `CSVTable` reads these back.
public struct CSVWriter: Sendable {
    /// A cell: typed so that only text typed by people is guarded against formulas, and
    /// numbers, dates and amounts come out as the spreadsheet reads them.
    public enum Cell: Sendable, Hashable {
        case text(String)
        case integer(Int)
        /// Euros with a decimal comma, no symbol: `8,50`, `-3,00`.
        case euros(cents: Int)
        /// `jj/mm/aaaa`.
        case date(LocalDate)
        /// Hours with a decimal comma and two decimals: `1,50`.
        case hours(minutes: Int)
        case empty
    }

    public private(set) var text = "\u{FEFF}"

    public init(header: [String]) {
        append(header.map { .text($0) })
    }

    public mutating func append(_ row: [Cell]) {
        text += row.map(Self.field).joined(separator: ";") + "\r\n"
    }

    public static func field(_ cell: Cell) -> String {
        switch cell {
        case .text(let value): quoted(neutralised(value))
        case .integer(let value): String(value)
        case .euros(let cents): decimal(cents, per: 100)
        case .date(let day): day.french
        case .hours(let minutes): decimal((minutes * 100 + 30) / 60, per: 100)
        case .empty: ""
        }
    }

    /// `value / per` with two decimals and a comma (`per` is 100: hundredths).
    static func decimal(_ value: Int, per: Int) -> String {
        let sign = value < 0 ? "-" : ""
        let a = abs(value)
        return "\(sign)\(a / per)," + (a % per < 10 ? "0" : "") + "\(a % per)"
    }

    /// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, and the tab and
    /// carriage return that some of them skip first) starts with an apostrophe instead: the
    /// text shows as typed, nothing runs (OWASP "CSV injection").
    static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    static func quoted(_ value: String) -> String {
        guard value.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
