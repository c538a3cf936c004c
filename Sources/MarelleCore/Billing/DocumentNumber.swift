/// The number of an invoice (`F2027-000123`), a credit note (`A2027-000004`) or a receipt
/// (`R2027-000017`): one series per kind and year, without gaps (Code de commerce, art. L441-9:
/// invoices are numbered in one unbroken chronological sequence).
public struct DocumentNumber: Sendable, Hashable, CustomStringConvertible {
    public enum Series: String, Sendable, Hashable, CaseIterable {
        case invoice = "F"
        case creditNote = "A"
        case receipt = "R"
    }

    public let series: Series
    public let year: Int
    public let sequence: Int

    public init(series: Series, year: Int, sequence: Int) {
        (self.series, self.year, self.sequence) = (series, year, sequence)
    }

    public var description: String {
        let digits = String(sequence)
        return "\(series.rawValue)\(year)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
