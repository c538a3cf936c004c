import MarelleCore
import MarelleDatabase

/// Accounts of one association. Every method runs inside the caller's tenant transaction.
public struct AccountStore: Sendable {
    public init() {}

    static let columns: SQL =
        "id, email, display_name, role, family_id, disabled_at IS NOT NULL AS disabled, password_hash IS NOT NULL AS has_password, language"

    /// Creates an account with no password yet (it is chosen through an invitation link).
    /// Returns nil when the address is already taken.
    public func create(_ tx: Session, email: EmailAddress, role: Role, familyID: Int?, displayName: String = "") throws
        -> Account?
    {
        let row = try tx.queryFirst(
            """
            INSERT INTO accounts (email, role, family_id, display_name)
            VALUES (\(email.value), \(role.rawValue), \(familyID), \(displayName))
            ON CONFLICT (email) DO NOTHING
            RETURNING \(Self.columns)
            """)
        return try row.map(Self.decode)
    }

    /// Every address of the association, for the look-alike check of a new one.
    public func emails(_ tx: Session) throws -> [String] {
        try tx.query("SELECT email FROM accounts ORDER BY id").map { try $0.decode("email") }
    }

    public func find(_ tx: Session, id: Int) throws -> Account? {
        try tx.queryFirst("SELECT \(Self.columns) FROM accounts WHERE id = \(id)").map(Self.decode)
    }

    public func find(_ tx: Session, email: EmailAddress) throws -> Account? {
        try tx.queryFirst("SELECT \(Self.columns) FROM accounts WHERE email = \(email.value)").map(Self.decode)
    }

    /// The account and its password hash, for a login attempt.
    public func credentials(_ tx: Session, email: EmailAddress) throws -> (Account, String?)? {
        guard
            let row = try tx.queryFirst(
                "SELECT \(Self.columns), password_hash FROM accounts WHERE email = \(email.value)")
        else { return nil }
        return (try Self.decode(row), try row.decode("password_hash", as: String?.self))
    }

    public func passwordHash(_ tx: Session, id: Int) throws -> String? {
        try tx.queryFirst("SELECT password_hash FROM accounts WHERE id = \(id)")?.decode("password_hash")
    }

    public func setPassword(_ tx: Session, id: Int, hash: String) throws {
        try tx.execute("UPDATE accounts SET password_hash = \(hash), password_changed_at = now() WHERE id = \(id)")
    }

    public func recordLogin(_ tx: Session, id: Int) throws {
        try tx.execute("UPDATE accounts SET last_login_at = now() WHERE id = \(id)")
    }

    /// Disables an account and ends everything that lets it in: sessions, tokens, links.
    public func disable(_ tx: Session, id: Int) throws {
        try tx.execute("UPDATE accounts SET disabled_at = coalesce(disabled_at, now()) WHERE id = \(id)")
        try tx.execute("DELETE FROM sessions WHERE account_id = \(id)")
        try tx.execute("UPDATE api_tokens SET revoked_at = now() WHERE account_id = \(id) AND revoked_at IS NULL")
        try tx.execute("UPDATE account_links SET used_at = now() WHERE account_id = \(id) AND used_at IS NULL")
    }

    public func enable(_ tx: Session, id: Int) throws {
        try tx.execute("UPDATE accounts SET disabled_at = NULL WHERE id = \(id)")
    }

    public func list(_ tx: Session, role: Role? = nil) throws -> [Account] {
        try tx.query(
            "SELECT \(Self.columns) FROM accounts WHERE \(role?.rawValue)::text IS NULL OR role = \(role?.rawValue) ORDER BY email"
        ).map(Self.decode)
    }

    public func setDisplayName(_ tx: Session, id: Int, name: String) throws -> Bool {
        try tx.queryFirst("UPDATE accounts SET display_name = \(name) WHERE id = \(id) RETURNING id") != nil
    }

    /// The association's active team (animateurs and direction).
    public func activeStaff(_ tx: Session) throws -> [Account] {
        try tx.query(
            "SELECT \(Self.columns) FROM accounts WHERE role <> 'parent' AND disabled_at IS NULL ORDER BY email"
        ).map(Self.decode)
    }

    /// The parents' accounts of one family.
    public func setLanguage(_ tx: Session, id: Int, language: Language) throws {
        try tx.execute("UPDATE accounts SET language = \(language.rawValue) WHERE id = \(id)")
    }

    public func list(_ tx: Session, familyID: Int) throws -> [Account] {
        try tx.query("SELECT \(Self.columns) FROM accounts WHERE family_id = \(familyID) ORDER BY id").map(Self.decode)
    }

    static func decode(_ row: Row) throws -> Account {
        Account(
            id: try row.decode("id"), email: try row.decode("email"), displayName: try row.decode("display_name"),
            role: Role(rawValue: try row.decode("role")) ?? .parent, familyID: try row.decode("family_id"),
            isDisabled: try row.decode("disabled"), hasPassword: try row.decode("has_password"),
            language: (try row.decode("language") as String?).flatMap(Language.init(rawValue:)))
    }
}
