/// Consecutive days, both ends included.
public struct DateRange: Sendable, Hashable, Codable {
    public let first: LocalDate
    public let last: LocalDate

    public init(first: LocalDate, last: LocalDate) throws(DateRangeError) {
        guard first <= last else { throw .endBeforeStart }
        self.first = first
        self.last = last
    }

    public func contains(_ date: LocalDate) -> Bool { first <= date && date <= last }

    public func overlaps(_ other: DateRange) -> Bool { first <= other.last && other.first <= last }

    public var days: [LocalDate] {
        (first.daysSinceEpoch...last.daysSinceEpoch).map(LocalDate.init(daysSinceEpoch:))
    }
}

public enum DateRangeError: Error, Equatable {
    case endBeforeStart

    public var message: String { tr("DateRange.la_date_de_fin_doit") }
}
