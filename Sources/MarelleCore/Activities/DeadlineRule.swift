import Foundation

/// When booking (or cancelling) a date closes: `daysBefore` days before it at `time`,
/// Paris time; "la veille à 10h00" is one day before at 10:00. With `workingDaysOnly`,
/// only Monday-to-Friday days that are not public holidays are counted, so a Monday's
/// "veille ouvrée" is the Friday before (or the Thursday, when that Friday is a holiday).
public struct DeadlineRule: Sendable, Hashable, Codable {
    public let daysBefore: Int
    public let time: LocalTime
    public let workingDaysOnly: Bool

    public init(daysBefore: Int, time: LocalTime, workingDaysOnly: Bool = false) throws(DeadlineRuleError) {
        guard (0...365).contains(daysBefore) else { throw .daysOutOfRange }
        self.daysBefore = daysBefore
        self.time = time
        self.workingDaysOnly = workingDaysOnly
    }

    /// The day on whose wall clock the deadline falls.
    public func cutoffDay(for date: LocalDate) -> LocalDate {
        guard workingDaysOnly else { return date.adding(days: -daysBefore) }
        var day = date
        var counted = 0
        while counted < daysBefore {
            day = day.adding(days: -1)
            if day.isWorkingDay { counted += 1 }
        }
        return day
    }

    /// The last instant at which the date can still be booked (or cancelled).
    public func cutoff(for date: LocalDate) -> Date {
        ParisClock.instant(cutoffDay(for: date), time)
    }

    /// Open strictly before the cutoff: at 10:00:00 sharp, "avant 10h00" is over.
    public func isOpen(for date: LocalDate, at now: Date) -> Bool {
        now < cutoff(for: date)
    }

    /// "la veille à 10h00", "3 jours ouvrés avant à 18h00": for pages and messages.
    public var label: String {
        switch (daysBefore, workingDaysOnly) {
        case (0, _): tr("DeadlineRule.le_jour_meme_a_1", time.french)
        case (1, false): tr("DeadlineRule.la_veille_a_1", time.french)
        case (1, true): tr("DeadlineRule.la_veille_ouvree_a_1", time.french)
        case (let n, false): tr("DeadlineRule.1_jours_avant_a_2", n, time.french)
        case (let n, true): tr("DeadlineRule.1_jours_ouvres_avant_a", n, time.french)
        }
    }
}

public enum DeadlineRuleError: Error, Equatable {
    case daysOutOfRange

    public var message: String { tr("DeadlineRule.le_delai_doit_etre_compris") }
}
