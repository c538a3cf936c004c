import Foundation

/// The hours the CAF pays an accueil de loisirs for, per booking: what the README's "Heures
/// CAF" says, written once.
///
/// - A child ticked absent-unannounced, or declared absent and not ticked in, did not come: nothing.
/// - A child ticked in counts the whole slot (the CAF pays a slot begun), plus the time
///   before its start or after its end the ticks show (arrived early, picked up late).
///   Without a departure tick, the slot's end.
/// - No tick at all on a validated booking (the team took no times that day): the slot.
public enum CAFHours {
    /// Minutes counted; nil when the child did not come.
    public static func minutes(
        day: LocalDate, startsAt: LocalTime, endsAt: LocalTime, arrivedAt: Date?, leftAt: Date?, noShow: Bool,
        declaredAbsent: Bool
    ) -> Int? {
        if noShow { return nil }
        let start = ParisClock.instant(day, startsAt)
        let end = ParisClock.instant(day, endsAt)
        guard let arrivedAt else {
            return declaredAbsent ? nil : Int(end.timeIntervalSince(start) / 60)
        }
        let from = min(arrivedAt, start)
        let until = max(leftAt ?? end, end)
        return Int(until.timeIntervalSince(from) / 60)
    }

    /// The CAF's two age bands, by the child's age on the first day of the month.
    public static func ageBand(birthDate: LocalDate, month first: LocalDate) -> String {
        Eligibility.age(birthDate: birthDate, on: first) < 6 ? tr("CAFHours.moins_de_6_ans") : tr("CAFHours.6_ans_et_plus")
    }
}
