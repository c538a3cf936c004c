import MarelleAuth
import MarelleCore
import MarelleDatabase

/// Single-use links sent by e-mail: invitations (a new person chooses a password) and
/// password resets. The token is in the link; only its hash is stored.
public struct AccountLinkStore: Sendable {
    public enum Kind: String, Sendable {
        case invitation
        case reset

        /// Invitations: 7 days; resets: 30 minutes.
        public var lifetimeMinutes: Int {
            switch self {
            case .invitation: 7 * 24 * 60
            case .reset: 30
            }
        }
    }

    public init() {}

    /// A new link; earlier unused links of the same kind for the account stop working.
    public func create(_ tx: Session, kind: Kind, accountID: Int, createdBy: Int?) throws -> String {
        let token = SecureToken.generate()
        try tx.execute(
            "UPDATE account_links SET used_at = now() WHERE account_id = \(accountID) AND kind = \(kind.rawValue) AND used_at IS NULL"
        )
        try tx.execute(
            """
            INSERT INTO account_links (token_hash, kind, account_id, expires_at, created_by)
            VALUES (\(SecureToken.digest(token)), \(kind.rawValue), \(accountID),
                    now() + make_interval(mins => \(kind.lifetimeMinutes)::int), \(createdBy))
            """)
        return token
    }

    /// Whether a link of `kind` was made for the account within the last `minutes`.
    public func createdRecently(_ tx: Session, kind: Kind, accountID: Int, minutes: Int) throws -> Bool {
        try tx.queryFirst(
            """
            SELECT 1 AS found FROM account_links
            WHERE account_id = \(accountID) AND kind = \(kind.rawValue) AND created_at > now() - make_interval(mins => \(minutes)::int)
            LIMIT 1
            """) != nil
    }

    /// The account a live link is for, without using it up (to show the form).
    public func peek(_ tx: Session, kind: Kind, token: String) throws -> Account? {
        guard SecureToken.isWellFormed(token) else { return nil }
        return try tx.queryFirst(
            """
            SELECT a.id, a.email, a.display_name, a.role, a.family_id,
                   a.disabled_at IS NOT NULL AS disabled, a.password_hash IS NOT NULL AS has_password, a.language
            FROM account_links l JOIN accounts a ON a.id = l.account_id
            WHERE l.token_hash = \(SecureToken.digest(token)) AND l.kind = \(kind.rawValue)
              AND l.used_at IS NULL AND l.expires_at > now() AND a.disabled_at IS NULL
            """
        ).map(AccountStore.decode)
    }

    /// Uses the link up, atomically: of two concurrent uses, one gets the account.
    public func consume(_ tx: Session, kind: Kind, token: String) throws -> Account? {
        guard SecureToken.isWellFormed(token) else { return nil }
        guard
            let row = try tx.queryFirst(
                """
                UPDATE account_links SET used_at = now()
                WHERE token_hash = \(SecureToken.digest(token)) AND kind = \(kind.rawValue)
                  AND used_at IS NULL AND expires_at > now()
                RETURNING account_id
                """)
        else { return nil }
        let account = try AccountStore().find(tx, id: try row.decode("account_id"))
        return account?.isDisabled == false ? account : nil
    }
}
