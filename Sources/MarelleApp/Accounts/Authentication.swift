import MarelleCore
import MarelleDatabase
import MarelleStore

/// Who is asking: the account behind a bearer token (the API) or a browser session (the
/// pages), read in the tenant's schema, so that a token or cookie of tenant A means nothing on
/// tenant B's host.
public struct Authentication: Sendable {
    let database: Database
    let tokens = ApiTokenStore()
    let sessions = SessionStore()

    public init(database: Database) {
        self.database = database
    }

    /// Checks a caller in a transaction of its own: for the requests that must know who asks
    /// before anything else (a form's CSRF token, a staff page). Pages that read only their
    /// own data hand the caller to their use case instead, which checks it in its transaction.
    @discardableResult
    public func check(_ caller: Caller, tenant: Tenant) async throws -> Caller.Finding {
        if let found = caller.found { return found }
        return try await database.withTenant(try tenant.scope()) { tx in try caller.check(tx) }
    }

    /// A new browser session for a signed-in account (an id planted before login, `replacing`,
    /// is closed: it is worth nothing after), and whether a parent has accepted the privacy
    /// text in force.
    public func openSession(
        tenant: Tenant, account: Account, replacing old: String?, ip: String?, userAgent: String?
    ) async throws -> (opened: SessionStore.Opened, accepted: Bool) {
        let sessions = sessions
        return try await database.withTenant(try tenant.scope()) { tx in
            if let old { try sessions.close(tx, id: old) }
            let opened = try sessions.open(tx, accountID: account.id, ip: ip, userAgent: userAgent)
            let accepted = account.familyID == nil ? true : try PrivacyStore().hasAcceptedCurrent(tx, accountID: account.id)
            return (opened, accepted)
        }
    }

    /// Signing out: the session ends, and the account's logout is audited.
    public func closeSession(tenant: Tenant, id: String, account: Account?, ip: String?) async throws {
        let sessions = sessions
        try await database.withTenant(try tenant.scope()) { tx in
            try sessions.close(tx, id: id)
            if let account { try AuditLog().record(tx, actor: .account(account), action: "logout", ip: ip) }
        }
    }

    /// A bearer token for an account that just proved its password.
    public func issueToken(tenant: Tenant, account: Account, ip: String?) async throws -> ApiTokenStore.Issued {
        let tokens = tokens
        return try await database.withTenant(try tenant.scope()) { tx in
            let issued = try tokens.issue(tx, accountID: account.id)
            try AuditLog().record(tx, actor: .account(account), action: "token.issue", ip: ip)
            return issued
        }
    }

    public func revokeToken(tenant: Tenant, account: Account, token: String, ip: String?) async throws {
        let tokens = tokens
        try await database.withTenant(try tenant.scope()) { tx in
            _ = try tokens.revoke(tx, token: token)
            try AuditLog().record(tx, actor: .account(account), action: "token.revoke", ip: ip)
        }
    }
}
