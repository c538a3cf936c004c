import MarelleAuth
import MarelleCore
import MarelleDatabase

/// Bearer tokens of the JSON API: bound to one account of one tenant (they live in its
/// schema), stored hashed, with an expiry.
public struct ApiTokenStore: Sendable {
    public static let lifetimeDays = 30

    public init() {}

    public struct Issued: Sendable {
        public let token: String
        public let expiresAt: String
    }

    public func issue(_ tx: Session, accountID: Int) throws -> Issued {
        let token = SecureToken.generate()
        let row = try tx.queryOne(
            """
            INSERT INTO api_tokens (token_hash, account_id, expires_at)
            VALUES (\(SecureToken.digest(token)), \(accountID), now() + make_interval(days => \(Self.lifetimeDays)::int))
            RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires
            """)
        return Issued(token: token, expiresAt: try row.decode("expires"))
    }

    /// The account a live token belongs to.
    public func authenticate(_ tx: Session, token: String) throws -> Account? {
        guard SecureToken.isWellFormed(token) else { return nil }
        // `last_used_at` is informative: written at most once a minute, not on every call.
        return try tx.queryFirst(
            """
            WITH live AS (
                SELECT t.id AS token_id, t.last_used_at, a.id, a.email, a.display_name, a.role, a.family_id,
                       a.disabled_at IS NOT NULL AS disabled, a.password_hash IS NOT NULL AS has_password, a.language
                FROM api_tokens t JOIN accounts a ON a.id = t.account_id
                WHERE t.token_hash = \(SecureToken.digest(token)) AND a.disabled_at IS NULL
                  AND t.revoked_at IS NULL AND t.expires_at > now()
            ), touched AS (
                UPDATE api_tokens SET last_used_at = now()
                WHERE id IN (SELECT token_id FROM live WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
            )
            SELECT id, email, display_name, role, family_id, disabled, has_password, language FROM live
            """
        ).map(AccountStore.decode)
    }

    /// Returns false when the token was not live.
    public func revoke(_ tx: Session, token: String) throws -> Bool {
        guard SecureToken.isWellFormed(token) else { return false }
        return try tx.execute(
            "UPDATE api_tokens SET revoked_at = now() WHERE token_hash = \(SecureToken.digest(token)) AND revoked_at IS NULL")
            == 1
    }

    public func revokeAll(_ tx: Session, accountID: Int) throws {
        try tx.execute("UPDATE api_tokens SET revoked_at = now() WHERE account_id = \(accountID) AND revoked_at IS NULL")
    }
}
