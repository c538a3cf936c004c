import MarelleAuth
import MarelleCore
import MarelleDatabase

/// Staff's authenticators, their recovery codes, the challenges between a password and its
/// code, and the association's rule. Secrets arrive and leave sealed (`SecretBox`): this
/// store never sees one in clear.
public struct SecondFactorStore: Sendable {
    public init() {}

    /// An account's authenticator: sealed secret, whether a code confirmed it, the last step used.
    public struct Factor: Sendable {
        public let sealedSecret: [UInt8]
        public let confirmed: Bool
        public let lastStep: Int64?
    }

    /// The account's authenticator, its row locked (two codes typed at once cannot both pass).
    public func factor(_ tx: Session, accountID: Int, locking: Bool = false) throws -> Factor? {
        let lock: SQL = locking ? " FOR UPDATE" : ""
        return try tx.queryFirst(
            """
            SELECT sealed_secret, confirmed_at IS NOT NULL AS confirmed, last_step
            FROM second_factors WHERE account_id = \(accountID)\(lock)
            """
        ).map { row in
            Factor(
                sealedSecret: try row.decode("sealed_secret", as: ByteA.self).bytes, confirmed: try row.decode("confirmed"),
                lastStep: try row.decode("last_step", as: Int64?.self))
        }
    }

    /// A new, unconfirmed authenticator; one not yet confirmed is replaced, a confirmed one is kept.
    public func begin(_ tx: Session, accountID: Int, sealedSecret: [UInt8]) throws {
        try tx.execute(
            """
            INSERT INTO second_factors (account_id, sealed_secret) VALUES (\(accountID), \(ByteA(sealedSecret)))
            ON CONFLICT (account_id) DO UPDATE SET sealed_secret = EXCLUDED.sealed_secret, created_at = now()
            WHERE second_factors.confirmed_at IS NULL
            """)
    }

    /// The authenticator proven by a code: confirmed, and that step used. Earlier recovery
    /// codes are replaced by `codes`.
    public func confirm(_ tx: Session, accountID: Int, step: Int64, recoveryCodeHashes codes: [String]) throws {
        try tx.execute(
            "UPDATE second_factors SET confirmed_at = now(), last_step = \(step) WHERE account_id = \(accountID)")
        try replaceRecoveryCodes(tx, accountID: accountID, hashes: codes)
    }

    public func replaceRecoveryCodes(_ tx: Session, accountID: Int, hashes: [String]) throws {
        try tx.execute("DELETE FROM recovery_codes WHERE account_id = \(accountID)")
        try tx.execute(
            """
            INSERT INTO recovery_codes (account_id, code_hash)
            SELECT \(accountID), h FROM unnest(\(hashes)::text[]) AS h ON CONFLICT DO NOTHING
            """)
    }

    public func recordStep(_ tx: Session, accountID: Int, step: Int64) throws {
        try tx.execute("UPDATE second_factors SET last_step = \(step) WHERE account_id = \(accountID)")
    }

    /// Spends a recovery code: true when it was one of the account's, unused.
    public func useRecoveryCode(_ tx: Session, accountID: Int, hash: String) throws -> Bool {
        try tx.execute(
            """
            UPDATE recovery_codes SET used_at = now()
            WHERE account_id = \(accountID) AND code_hash = \(hash) AND used_at IS NULL
            """) == 1
    }

    public func recoveryCodesLeft(_ tx: Session, accountID: Int) throws -> Int {
        try tx.queryOne(
            "SELECT count(*)::int AS n FROM recovery_codes WHERE account_id = \(accountID) AND used_at IS NULL"
        ).decode("n")
    }

    /// Removes the authenticator and its recovery codes.
    public func remove(_ tx: Session, accountID: Int) throws {
        try tx.execute("DELETE FROM second_factors WHERE account_id = \(accountID)")
        try tx.execute("DELETE FROM recovery_codes WHERE account_id = \(accountID)")
    }

    // MARK: - The association's rule

    /// Staff accounts without a confirmed authenticator: those the rule, once on, signs out.
    public func staffWithoutFactor(_ tx: Session) throws -> [Int] {
        try tx.query(
            """
            SELECT a.id FROM accounts a
            WHERE a.role <> 'parent'
              AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.account_id = a.id AND f.confirmed_at IS NOT NULL)
            """
        ).map { try $0.decode("id") }
    }

    public func isRequired(_ tx: Session) throws -> Bool {
        try tx.queryFirst("SELECT staff_second_factor FROM association_settings")?.decode("staff_second_factor") ?? false
    }

    /// `displayName`: the association's name, for the settings row when it does not exist yet.
    public func setRequired(_ tx: Session, _ required: Bool, displayName: String) throws {
        try tx.execute(
            """
            INSERT INTO association_settings (display_name, staff_second_factor) VALUES (\(displayName), \(required))
            ON CONFLICT (singleton) DO UPDATE SET staff_second_factor = EXCLUDED.staff_second_factor, updated_at = now()
            """)
    }

    // MARK: - Challenges

    public enum Purpose: String, Sendable {
        /// The account has an authenticator: type its code (or a recovery code).
        case code
        /// The association requires one and the account has none: enrol now.
        case enrol
    }

    public static let challengeMinutes = 10
    /// Wrong codes one challenge takes before it is spent (the account's throttle counts them too).
    public static let challengeTries = 5

    /// A challenge for an account that has just given its password; earlier ones of the account end.
    public func openChallenge(_ tx: Session, accountID: Int, purpose: Purpose) throws -> String {
        let token = SecureToken.generate()
        try tx.execute("DELETE FROM login_challenges WHERE account_id = \(accountID)")
        try tx.execute(
            """
            INSERT INTO login_challenges (token_hash, account_id, purpose, expires_at)
            VALUES (\(SecureToken.digest(token)), \(accountID), \(purpose.rawValue),
                    now() + make_interval(mins => \(Self.challengeMinutes)::int))
            """)
        return token
    }

    /// The live challenge behind a token, its row locked, with its account.
    public func challenge(_ tx: Session, token: String) throws -> (account: Account, purpose: Purpose)? {
        guard SecureToken.isWellFormed(token) else { return nil }
        guard
            let row = try tx.queryFirst(
                """
                SELECT c.purpose, a.id, a.email, a.display_name, a.role, a.family_id,
                       a.disabled_at IS NOT NULL AS disabled, a.password_hash IS NOT NULL AS has_password, a.language
                FROM login_challenges c JOIN accounts a ON a.id = c.account_id
                WHERE c.token_hash = \(SecureToken.digest(token)) AND c.expires_at > now()
                  AND c.failures < \(Self.challengeTries) AND a.disabled_at IS NULL
                FOR UPDATE OF c
                """),
            let purpose = Purpose(rawValue: try row.decode("purpose"))
        else { return nil }
        return (try AccountStore.decode(row), purpose)
    }

    public func failChallenge(_ tx: Session, token: String) throws {
        try tx.execute(
            "UPDATE login_challenges SET failures = failures + 1 WHERE token_hash = \(SecureToken.digest(token))")
    }

    public func closeChallenge(_ tx: Session, token: String) throws {
        try tx.execute("DELETE FROM login_challenges WHERE token_hash = \(SecureToken.digest(token))")
    }
}
