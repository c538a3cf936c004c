import Foundation
import MarelleCore
import MarelleStore

/// `GET /api/v1/me`, and the account in a login's answer.
public struct AccountBody: Encodable {
    public let id: Int
    public let email: String
    public let role: Role
    /// The parent's family; `null` for staff.
    public let familyId: Int?

    public init(_ a: Account) {
        (id, email, role, familyId) = (a.id, a.email, a.role, a.familyID)
    }
}

/// `POST /api/v1/auth/login`: the bearer token and whom it speaks for.
public struct TokenBody: Encodable {
    public let token: String
    public let tokenType = "Bearer"
    public let expiresAt: String
    public let account: AccountBody
    /// Only after an enrolment at sign-in: the recovery codes, given once.
    public let recoveryCodes: [String]?

    public init(token: String, expiresAt: String, account: AccountBody, recoveryCodes: [String]? = nil) {
        self.token = token
        self.expiresAt = expiresAt
        self.account = account
        self.recoveryCodes = recoveryCodes
    }
}

/// `GET /api/v1/privacy` (with `accepted` for a parent, `null` for staff) and
/// `POST /api/v1/privacy` (a new version, `accepted` `null`).
public struct PrivacyBody: Encodable {
    public let version: Int
    public let body: String
    public let publishedAt: Date
    public let accepted: Bool?

    public init(version: Int, body: String, publishedAt: Date, accepted: Bool?) {
        self.version = version
        self.body = body
        self.publishedAt = publishedAt
        self.accepted = accepted
    }
}
