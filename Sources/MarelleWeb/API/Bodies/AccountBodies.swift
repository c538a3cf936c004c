import Foundation
import MarelleCore
import MarelleStore

/// `GET /api/v1/me`, and the account in a login's answer.
struct AccountBody: Encodable {
    let id: Int
    let email: String
    let role: Role
    /// The parent's family; `null` for staff.
    let familyId: Int?

    init(_ a: Account) {
        (id, email, role, familyId) = (a.id, a.email, a.role, a.familyID)
    }
}

/// `POST /api/v1/auth/login`: the bearer token and whom it speaks for.
struct TokenBody: Encodable {
    let token: String
    let tokenType = "Bearer"
    let expiresAt: String
    let account: AccountBody
}

/// `GET /api/v1/privacy` (with `accepted` for a parent, `null` for staff) and
/// `POST /api/v1/privacy` (a new version, `accepted` `null`).
struct PrivacyBody: Encodable {
    let version: Int
    let body: String
    let publishedAt: Date
    let accepted: Bool?
}
