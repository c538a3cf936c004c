/// The days an activity runs: its weekdays within its periods, minus closures and public
/// holidays, plus or minus single dates set by hand (an extra Wednesday, a cancelled day).
public struct ActivitySchedule: Sendable, Hashable {
    /// ISO weekdays, 1 (Monday) to 7 (Sunday).
    public let weekdays: Set<Int>
    public let periods: [DateRange]
    public let closures: [DateRange]
    public let addedDates: Set<LocalDate>
    public let removedDates: Set<LocalDate>

    public init(
        weekdays: Set<Int>, periods: [DateRange], closures: [DateRange] = [], addedDates: Set<LocalDate> = [],
        removedDates: Set<LocalDate> = []
    ) {
        self.weekdays = weekdays.filter { (1...7).contains($0) }
        self.periods = periods
        self.closures = closures
        self.addedDates = addedDates
        self.removedDates = removedDates
    }

    public func runs(on date: LocalDate) -> Bool {
        if removedDates.contains(date) { return false }
        if addedDates.contains(date) { return true }
        guard weekdays.contains(date.weekday), periods.contains(where: { $0.contains(date) }) else { return false }
        if closures.contains(where: { $0.contains(date) }) { return false }
        return !FrenchPublicHolidays.isHoliday(date)
    }

    /// The running days of one month.
    public func dates(year: Int, month: Int) -> [LocalDate] {
        (1...LocalDate.daysIn(month: month, year: year)).compactMap { LocalDate(year: year, month: month, day: $0) }
            .filter(runs(on:))
    }
}
