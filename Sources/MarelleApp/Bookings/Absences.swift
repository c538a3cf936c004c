import MarelleCore
import MarelleDatabase
import MarelleStore

/// The absence form: a family says a booked child will not come (or did not), with a reason
/// and, when it has one, a medical certificate; the staff see the day's absences.
public struct Absences: Sendable {
    let database: Database
    let absences = AbsenceStore()

    public init(database: Database) {
        self.database = database
    }

    /// The family's bookings from a week ago to four months ahead, and the absences it declared.
    public func form(tenant: Tenant, familyID: Int, today: LocalDate) async throws -> (
        bookings: [BookingDecisions.Line], declared: [AbsenceStore.Absence]
    ) {
        let absences = absences
        return try await database.withTenant(try tenant.scope()) { tx in
            (
                try BookingDecisions().bookings(
                    tx, familyID: familyID, from: today.adding(days: -7), to: today.adding(days: 120)),
                try absences.list(tx, familyID: familyID, from: today.adding(days: -7), to: today.adding(days: 120))
            )
        }
    }

    /// Declares the family's bookings `ids` absent; returns how many were.
    public func declare(
        tenant: Tenant, account: Account, familyID: Int, ids: [Int], reason: String, documentID: Int?, ip: String?
    ) async throws -> Int {
        let absences = absences
        return try await database.withTenant(try tenant.scope()) { tx in
            let count = try absences.declare(
                tx, familyID: familyID, bookingIDs: ids, reason: reason, documentID: documentID, by: account.id)
            if count > 0 {
                try AuditLog().record(
                    tx, actor: .account(account), action: "absence.declare", subject: "family:\(familyID)", ip: ip,
                    detail: [
                        "bookings": ids.map(String.init).joined(separator: ","), "certificate": documentID.map(String.init) ?? "",
                    ])
            }
            return count
        }
    }

    /// The absences of one day, for the staff.
    public func day(tenant: Tenant, _ day: LocalDate) async throws -> [AbsenceStore.Absence] {
        let absences = absences
        return try await database.withTenant(try tenant.scope()) { tx in try absences.list(tx, day: day) }
    }
}
