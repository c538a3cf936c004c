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

    /// The account of a live token; nil when unknown, expired or revoked.
    public func account(bearer token: String, tenant: Tenant) async throws -> Account? {
        let tokens = tokens
        return try await database.withTenant(try tenant.scope()) { tx in try tokens.authenticate(tx, token: token) }
    }

    /// The live session of that id (its idle clock reset); nil when over or unknown.
    public func session(id: String, tenant: Tenant) async throws -> SessionStore.Current? {
        let sessions = sessions
        return try await database.withTenant(try tenant.scope()) { tx in try sessions.resume(tx, id: id) }
    }
}
