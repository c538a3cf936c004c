import MarelleAuth
import MarelleCore
import MarelleDatabase

/// Browser sessions, in the tenant's schema: a session of one association cannot even be
/// looked up on another's host. Ids are random; only their SHA-256 is stored.
public struct SessionStore: Sendable {
    /// Idle limit, and absolute limit from login.
    public static let idleMinutes = 30
    public static let absoluteHours = 12

    public init() {}

    public struct Opened: Sendable {
        /// The raw id, for the cookie; never stored.
        public let id: String
        public let csrfToken: String
    }

    public struct Current: Sendable {
        public let account: Account
        public let csrfToken: String
        public let idHash: String
        /// Lines in the family's basket, for the header (read with the session: no extra query).
        public let basketCount: Int
    }

    public func open(_ tx: Session, accountID: Int, ip: String?, userAgent: String?) throws -> Opened {
        let id = SecureToken.generate()
        let csrf = SecureToken.generate()
        try tx.execute(
            """
            INSERT INTO sessions (id_hash, account_id, csrf_token, expires_at, ip, user_agent)
            VALUES (\(SecureToken.digest(id)), \(accountID), \(csrf),
                    now() + make_interval(hours => \(Self.absoluteHours)::int), \(ip)::inet, left(\(userAgent), 300))
            """)
        return Opened(id: id, csrfToken: csrf)
    }

    /// The live session for a cookie value, its idle clock reset; nil when unknown, idle for
    /// too long, past its absolute end, or its account disabled.
    public func resume(_ tx: Session, id: String) throws -> Current? {
        guard SecureToken.isWellFormed(id) else { return nil }
        let hash = SecureToken.digest(id)
        // The idle clock is reset at most once a minute: a page view need not write a row.
        guard
            let row = try tx.queryFirst(
                """
                WITH live AS (
                    SELECT s.id_hash, s.csrf_token, s.last_seen_at, a.id, a.email, a.display_name, a.role, a.family_id,
                           a.disabled_at IS NOT NULL AS disabled, a.password_hash IS NOT NULL AS has_password, a.language
                    FROM sessions s JOIN accounts a ON a.id = s.account_id
                    WHERE s.id_hash = \(hash) AND a.disabled_at IS NULL
                      AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => \(Self.idleMinutes)::int)
                ), touched AS (
                    UPDATE sessions SET last_seen_at = now()
                    WHERE id_hash IN (SELECT id_hash FROM live WHERE last_seen_at < now() - interval '1 minute')
                )
                SELECT csrf_token, id, email, display_name, role, family_id, disabled, has_password, language,
                       (SELECT count(*)::int FROM basket_lines b WHERE b.family_id = live.family_id) AS basket FROM live
                """)
        else { return nil }
        return Current(
            account: try AccountStore.decode(row), csrfToken: try row.decode("csrf_token"), idHash: hash,
            basketCount: try row.decode("basket"))
    }

    public func close(_ tx: Session, id: String) throws {
        try tx.execute("DELETE FROM sessions WHERE id_hash = \(SecureToken.digest(id))")
    }

    /// Ends every session of an account but, optionally, the one in use (after a password
    /// change, the person who changed it stays signed in on that device only).
    @discardableResult
    public func closeAll(_ tx: Session, accountID: Int, exceptHash: String? = nil) throws -> Int {
        try tx.execute(
            "DELETE FROM sessions WHERE account_id = \(accountID) AND (\(exceptHash)::text IS NULL OR id_hash <> \(exceptHash))")
    }
}
