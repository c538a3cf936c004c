import Foundation
import MarelleCore
import MarelleDatabase

/// "Traitement des données": the association's privacy text, one row per published version,
/// and the consents parents give to it.
public struct PrivacyStore: Sendable {
    public init() {}

    public struct Text: Sendable {
        public let version: Int
        public let body: String
        public let publishedAt: Date
    }

    public struct Consent: Sendable {
        public let accountID: Int
        public let email: String
        public let subject: String
        public let certified: Bool
        public let version: Int
        public let acceptedAt: Date
    }

    public func current(_ tx: Session) throws -> Text {
        try Self.text(try tx.queryOne("SELECT version, body, published_at FROM privacy_texts ORDER BY version DESC LIMIT 1"))
    }

    public func history(_ tx: Session) throws -> [Text] {
        try tx.query("SELECT version, body, published_at FROM privacy_texts ORDER BY version DESC").map(Self.text)
    }

    /// Publishes a new version; the next number is taken under the table's lock so that two
    /// staff members publishing at once get two versions, not an error.
    public func publish(_ tx: Session, body: String, by accountID: Int?) throws -> Text {
        try tx.execute("LOCK TABLE privacy_texts IN SHARE ROW EXCLUSIVE MODE")
        return try Self.text(
            try tx.queryOne(
                """
                INSERT INTO privacy_texts (version, body, published_by)
                SELECT coalesce(max(version), 0) + 1, \(body), \(accountID) FROM privacy_texts
                RETURNING version, body, published_at
                """))
    }

    /// Whether the account has accepted any version of the text (else it reads it the first time).
    public func hasAcceptedAny(_ tx: Session, accountID: Int) throws -> Bool {
        try tx.queryOne(
            "SELECT EXISTS (SELECT 1 FROM consents WHERE account_id = \(accountID)) AS accepted"
        ).decode("accepted")
    }

    /// Whether the account has accepted the current version.
    public func hasAcceptedCurrent(_ tx: Session, accountID: Int) throws -> Bool {
        try tx.queryOne(
            """
            SELECT EXISTS (SELECT 1 FROM consents WHERE account_id = \(accountID)
                           AND privacy_version = (SELECT max(version) FROM privacy_texts)) AS accepted
            """
        ).decode("accepted")
    }

    /// Records a consent to `version` (the one the person read), which must exist.
    public func recordConsent(
        _ tx: Session, familyID: Int, accountID: Int, subject: String, certified: Bool, version: Int
    ) throws {
        try tx.execute(
            """
            INSERT INTO consents (family_id, account_id, subject, certified, privacy_version)
            VALUES (\(familyID), \(accountID), \(subject), \(certified), \(version)::int)
            """)
    }

    public func consents(_ tx: Session, familyID: Int) throws -> [Consent] {
        try tx.query(
            """
            SELECT c.account_id, a.email, c.subject, c.certified, c.privacy_version, c.accepted_at
            FROM consents c JOIN accounts a ON a.id = c.account_id
            WHERE c.family_id = \(familyID) ORDER BY c.id
            """
        ).map {
            Consent(
                accountID: try $0.decode("account_id"), email: try $0.decode("email"), subject: try $0.decode("subject"),
                certified: try $0.decode("certified"), version: try $0.decode("privacy_version"),
                acceptedAt: try $0.decode("accepted_at"))
        }
    }

    static func text(_ row: Row) throws -> Text {
        Text(version: try row.decode("version"), body: try row.decode("body"), publishedAt: try row.decode("published_at"))
    }
}
