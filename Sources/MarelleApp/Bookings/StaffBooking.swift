import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Booking for a family (a parent on the phone): the parent's rules through the same
/// `SubmitBasket` (capacity and waiting list, closures, level and age, duplicates, overlapping
/// slots), the same e-mail to the family. The family's own basket is left alone. Only the
/// direction may pass the booking deadline or window, and the audit says when it did.
extension BookingService {
    public enum StaffBookingFailure: Error, Sendable, Equatable {
        case unknownFamily
        /// Not a child of this family.
        case unknownChild
        case unknownActivity
        /// No date asked, or none on which the activity runs.
        case noDays
        /// Passing the deadlines is the direction's decision.
        case overrideNotAllowed
    }

    /// Books `days` of `activityID` for the family's child; with `onlyRunningDays`, the days
    /// the activity does not run are left out first (a range typed on the page).
    public func book(
        tenant: Tenant, staff: Account, familyID: Int, childID: Int, activityID: Int, days: [LocalDate],
        onlyRunningDays: Bool = false, overridingDeadlines: Bool, now: Date = Date(), ip: String?
    ) async throws -> SubmitBasket.Result {
        if overridingDeadlines && staff.role != .direction { throw StaffBookingFailure.overrideNotAllowed }
        let mail = mail
        return try await database.withTenant(try tenant.scope()) { tx in
            // The family's row first, as "Valider" does: its submissions take turns.
            guard
                let submission = try tx.queryFirst(
                    """
                    WITH family AS (SELECT id FROM families WHERE id = \(familyID) FOR UPDATE)
                    INSERT INTO submissions (family_id, account_id) SELECT id, \(staff.id) FROM family RETURNING id
                    """)
            else { throw StaffBookingFailure.unknownFamily }
            let submissionID: Int = try submission.decode("id")
            guard let child = try ChildStore().list(tx, familyID: familyID).first(where: { $0.id == childID }) else {
                throw StaffBookingFailure.unknownChild
            }
            guard let activity = try ActivityStore().find(tx, id: activityID) else { throw StaffBookingFailure.unknownActivity }
            var asked = Array(Set(days)).sorted()
            if onlyRunningDays {
                var running: [LocalDate] = []
                for month in Set(asked.map { LocalDate(year: $0.year, month: $0.month, day: 1)! }) {
                    let rules = try CalendarStore().rules(tx, activities: [activity], year: month.year, month: month.month)
                    guard let schedule = rules?.of(activity).0.schedule else { continue }
                    running += asked.filter { $0.year == month.year && $0.month == month.month && schedule.runs(on: $0) }
                }
                asked = running.sorted()
            }
            guard !asked.isEmpty else { throw StaffBookingFailure.noDays }
            let lines = asked.enumerated().map { index, day in
                BasketStore.Line(
                    id: -(index + 1), childID: child.id, childName: "\(child.firstName) \(child.lastName)",
                    activityID: activity.id, activityName: activity.draft.name, startsAt: activity.draft.startsAt,
                    endsAt: activity.draft.endsAt, day: day)
            }
            guard
                let result = try SubmitBasket().run(
                    tx, familyID: familyID, accountID: staff.id, now: now, submissionID: submissionID, lines: lines,
                    overridingDeadlines: overridingDeadlines)
            else { throw StaffBookingFailure.noDays }
            let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
            try tx.execute("UPDATE submissions SET response = \(JSONB(json)) WHERE id = \(submissionID)")
            for parent in try AccountStore().list(tx, familyID: familyID) where !parent.isDisabled {
                let message = mail.speaking(to: parent) { mail.requestReceived(tenant, result: result) }
                try outbox.enqueue(tx, kind: message.kind, to: parent.email, subject: message.subject, body: message.body)
            }
            try audit.record(
                tx, actor: .account(staff), action: "bookings.staff", subject: "family:\(familyID)", ip: ip,
                detail: [
                    "submission": String(submissionID), "child": String(childID), "activity": String(activityID),
                    "lines": String(result.lines.count), "refused": String(result.lines.count - result.accepted.count),
                    "overrideDeadlines": String(overridingDeadlines),
                ])
            return result
        }
    }
}
