import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Listes d'attente for the staff: the lines in the order places go to them, a place offered
/// by hand, a line removed; the family is mailed either way, as for any decision.
extension BookingService {
    public enum WaitingFailure: Error, Sendable, Equatable {
        /// No waiting line of that number in this association (gone, decided, another's).
        case notWaiting
    }

    /// The waiting lines from today on, optionally of one activity and/or one date, and the
    /// activities for the filter.
    public func waitingList(tenant: Tenant, activityID: Int?, day: LocalDate?, today: LocalDate) async throws -> (
        lines: [WaitingListStore.Line], activities: [ActivityStore.Activity]
    ) {
        try await database.withTenant(try tenant.scope()) { tx in
            (
                try WaitingListStore().lines(tx, activityID: activityID, day: day, from: today),
                try ActivityStore().list(tx)
            )
        }
    }

    /// The direction gives the line a place (validated, above capacity if need be). Audited.
    public func offerPlace(tenant: Tenant, staff: Account, bookingID: Int, ip: String?) async throws -> BookingDecisions.Line {
        try await database.withTenant(try tenant.scope()) { tx in
            guard let line = try WaitingListStore().offer(tx, id: bookingID, by: staff.id) else {
                throw WaitingFailure.notWaiting
            }
            try tellFamilies(tx, tenant: tenant, [(line, .validated)], reason: nil, promoted: [line.id])
            try audit.record(
                tx, actor: .account(staff), action: "waiting.offer", subject: line.childID.map { "child:\($0)" }, ip: ip,
                detail: ["booking": String(line.id)])
            return line
        }
    }

    /// The line leaves the list (refused, with the reason when one is given). Audited.
    public func removeFromWaitingList(tenant: Tenant, staff: Account, bookingID: Int, reason: String, ip: String?)
        async throws
    {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let told = tr("WaitingLists.retiree_de_la_liste_d") + (trimmed.isEmpty ? "" : " : \(trimmed)")
        try await database.withTenant(try tenant.scope()) { tx in
            guard try WaitingListStore().isWaiting(tx, id: bookingID) else { throw WaitingFailure.notWaiting }
            let decisions = try BookingDecisions().decide(tx, ids: [bookingID], validate: false, reason: told, by: staff.id)
            try tellFamilies(tx, tenant: tenant, decisions.map { ($0.line, $0.newStatus) }, reason: told)
            try audit.record(
                tx, actor: .account(staff), action: "waiting.remove",
                subject: decisions.first?.line.childID.map { "child:\($0)" }, ip: ip, detail: ["booking": String(bookingID)])
        }
    }
}
