import Foundation

/// Wall-clock times in Europe/Paris and the instants they stand for. Rules are stated in
/// wall-clock time ("la veille à 10h00"); the database and comparisons use instants.
///
/// Around the changes of time the mapping is not one-to-one, and the choice is made here,
/// once: a wall time that does not exist (02:30 on the last Sunday of March) is moved
/// forward by the length of the gap (03:30 CEST), as `java.time` does; a wall time that
/// occurs twice (02:30 on the last Sunday of October) means its first occurrence (CEST).
public enum ParisClock {
    static let zone = TimeZone(identifier: "Europe/Paris")!

    public static func instant(_ date: LocalDate, _ time: LocalTime) -> Date {
        let wall = Double(date.daysSinceEpoch * 86_400 + time.minutesSinceMidnight * 60)
        // The offset in force just before and just after this wall time (at most one
        // change a day in this zone).
        let early = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall - 86_400)))
        let late = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall + 86_400)))
        // No change that day (all but two days a year): the one offset is the answer. The
        // calendar asks this for every day of every activity shown.
        if early == late { return Date(timeIntervalSince1970: wall - early) }
        let candidates = Set([early, late]).map { Date(timeIntervalSince1970: wall - $0) }
            .filter { Double(zone.secondsFromGMT(for: $0)) == wall - $0.timeIntervalSince1970 }
        if let first = candidates.min() { return first }
        // In the gap: read the wall time with the offset from before the change.
        return Date(timeIntervalSince1970: wall - early)
    }

    /// The Paris calendar day an instant falls on.
    public static func date(of instant: Date) -> LocalDate {
        let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
        return LocalDate(daysSinceEpoch: Int((local / 86_400).rounded(.down)))
    }

    /// The Paris wall time of an instant.
    public static func time(of instant: Date) -> LocalTime {
        let local = Int((instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))).rounded(.down))
        let second = ((local % 86_400) + 86_400) % 86_400
        return LocalTime(hour: second / 3600, minute: (second % 3600) / 60)!
    }
}
