import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// A family takes back a line not decided yet (a request, a waiting line): cancelled at once,
/// no decision needed; the place a request held goes to the waiting list.
extension BookingService {
    public func withdraw(tenant: Tenant, account: Account, familyID: Int, ids: [Int], ip: String?) async throws -> Int {
        try await database.withTenant(try tenant.scope()) { tx in
            let (withdrawn, promoted) = try BookingDecisions().withdraw(tx, familyID: familyID, ids: ids)
            guard !withdrawn.isEmpty else { return 0 }
            try audit.record(
                tx, actor: .account(account), action: "bookings.withdraw", subject: "family:\(familyID)", ip: ip,
                detail: [
                    "bookings": withdrawn.map { String($0.id) }.joined(separator: ","),
                    "promoted": promoted.map { String($0.id) }.joined(separator: ","),
                ])
            try tellPromoted(tx, tenant: tenant, promoted)
            return withdrawn.count
        }
    }
}
