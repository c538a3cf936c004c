/// A calendar month (`2027-02`): what is invoiced together, and what a monthly report covers.
public struct Month: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (2000...9999).contains(year), (1...12).contains(month) else { return nil }
        (self.year, self.month) = (year, month)
    }

    /// `YYYY-MM` exactly; nil for anything else (`2027-2`, `2027-13`, ` 2027-02`).
    public init?(iso text: some StringProtocol) {
        guard text.utf8.count == 7, let first = LocalDate(iso: text + "-01") else { return nil }
        self.init(year: first.year, month: first.month)
    }

    public init(of date: LocalDate) {
        (year, month) = (date.year, date.month)
    }

    public var first: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var next: Month { Month(of: first.adding(days: 32)) }
    public var previous: Month { Month(of: first.adding(days: -1)) }
    public var last: LocalDate { next.first.adding(days: -1) }
    public var iso: String { first.isoMonth }
    public var description: String { iso }
    /// "février 2027", in the reader's language.
    public var name: String { first.monthName }

    public static func < (a: Month, b: Month) -> Bool { (a.year, a.month) < (b.year, b.month) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let month = Month(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM"))
        }
        self = month
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
