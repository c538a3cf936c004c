import Foundation
import MarelleCore
import MarelleDatabase

/// SEPA mandates and the association's creditor details. The App checks IBAN, BIC and
/// reference before anything reaches `create`; a mandate is never edited, only revoked.
public struct MandateStore: Sendable {
    public init() {}

    public struct Creditor: Sendable, Hashable {
        public let name: String
        public let iban: String
        public let bic: String
        public let identifier: String
        public let enabled: Bool
        public init(name: String, iban: String, bic: String, identifier: String, enabled: Bool) {
            (self.name, self.iban, self.bic, self.identifier, self.enabled) = (name, iban, bic, identifier, enabled)
        }
    }

    public enum Source: String, Sendable, Hashable, Codable { case online, paper }
    public enum State: String, Sendable, Hashable, Codable { case active, revoked }

    public struct Mandate: Sendable, Hashable {
        public let id: Int
        public let familyID: Int?
        public let familyName: String
        public let reference: String
        public let debtorName: String
        public let iban: String
        public let bic: String
        public let signedOn: LocalDate
        public let source: Source
        public let signedByName: String?
        public let signedFrom: String?
        public let signedAt: Date
        public let state: State
        public let revokedAt: Date?
        public let revokedReason: String?
        public let lastRejectReason: String?
        public let lastRejectOn: LocalDate?
        public let rejects: Int
    }

    public func creditor(_ tx: Session) throws -> Creditor? {
        try creditor(tx, lock: false)
    }

    /// The creditor row, locked for the transaction: batches are prepared one at a time.
    public func lockCreditor(_ tx: Session) throws -> Creditor? {
        try creditor(tx, lock: true)
    }

    private func creditor(_ tx: Session, lock: Bool) throws -> Creditor? {
        try tx.queryFirst(
            """
            SELECT creditor_name, creditor_iban, creditor_bic, creditor_identifier, enabled FROM direct_debit_settings
            \(lock ? "FOR UPDATE" as SQL : "")
            """
        ).map {
            Creditor(
                name: try $0.decode("creditor_name"), iban: try $0.decode("creditor_iban"), bic: try $0.decode("creditor_bic"),
                identifier: try $0.decode("creditor_identifier"), enabled: try $0.decode("enabled"))
        }
    }

    public func saveCreditor(_ tx: Session, _ creditor: Creditor, by accountID: Int?) throws {
        try tx.execute(
            """
            INSERT INTO direct_debit_settings (creditor_name, creditor_iban, creditor_bic, creditor_identifier, enabled, updated_by)
            VALUES (\(creditor.name), \(creditor.iban), \(creditor.bic), \(creditor.identifier), \(creditor.enabled), \(accountID))
            ON CONFLICT (singleton) DO UPDATE SET creditor_name = EXCLUDED.creditor_name,
                creditor_iban = EXCLUDED.creditor_iban, creditor_bic = EXCLUDED.creditor_bic,
                creditor_identifier = EXCLUDED.creditor_identifier, enabled = EXCLUDED.enabled,
                updated_by = EXCLUDED.updated_by, updated_at = now()
            """)
    }

    static let columns: SQL = """
        m.id, m.family_id, coalesce(f.name, '') AS family_name, m.reference, m.debtor_name, m.iban, m.bic, m.signed_on,
        m.source, coalesce(nullif(a.display_name, ''), a.email) AS signed_by_name, m.signed_from, m.signed_at, m.state, m.revoked_at, m.revoked_reason,
        m.last_reject_reason, m.last_reject_on, m.rejects
        FROM mandates m LEFT JOIN families f ON f.id = m.family_id LEFT JOIN accounts a ON a.id = m.signed_by
        """

    static func mandate(_ row: Row) throws -> Mandate {
        Mandate(
            id: try row.decode("id"), familyID: try row.decode("family_id"), familyName: try row.decode("family_name"),
            reference: try row.decode("reference"), debtorName: try row.decode("debtor_name"), iban: try row.decode("iban"),
            bic: try row.decode("bic"), signedOn: try row.decode("signed_on"),
            source: Source(rawValue: try row.decode("source")) ?? .paper, signedByName: try row.decode("signed_by_name"),
            signedFrom: try row.decode("signed_from"), signedAt: try row.decode("signed_at"),
            state: State(rawValue: try row.decode("state")) ?? .revoked, revokedAt: try row.decode("revoked_at"),
            revokedReason: try row.decode("revoked_reason"), lastRejectReason: try row.decode("last_reject_reason"),
            lastRejectOn: try row.decode("last_reject_on"), rejects: try row.decode("rejects"))
    }

    /// A mandate by id; with `familyID`, only that family's (another family's id is nil).
    public func find(_ tx: Session, id: Int, familyID: Int? = nil) throws -> Mandate? {
        try tx.queryFirst(
            "SELECT \(Self.columns) WHERE m.id = \(id) AND (\(familyID)::bigint IS NULL OR m.family_id = \(familyID))"
        ).map(Self.mandate)
    }

    /// A family's mandates, the one in force first.
    public func list(_ tx: Session, familyID: Int) throws -> [Mandate] {
        try tx.query(
            "SELECT \(Self.columns) WHERE m.family_id = \(familyID) ORDER BY m.state = 'active' DESC, m.signed_at DESC, m.id DESC"
        ).map(Self.mandate)
    }

    public func familyExists(_ tx: Session, familyID: Int) throws -> Bool {
        try tx.queryFirst("SELECT 1 AS one FROM families WHERE id = \(familyID)") != nil
    }

    public func active(_ tx: Session, familyID: Int) throws -> Mandate? {
        try tx.queryFirst("SELECT \(Self.columns) WHERE m.family_id = \(familyID) AND m.state = 'active'").map(Self.mandate)
    }

    /// Every mandate in force, by family name.
    public func allActive(_ tx: Session) throws -> [Mandate] {
        try tx.query("SELECT \(Self.columns) WHERE m.state = 'active' ORDER BY f.name, m.id").map(Self.mandate)
    }

    public func referenceTaken(_ tx: Session, _ reference: String) throws -> Bool {
        try tx.queryFirst("SELECT 1 AS one FROM mandates WHERE reference = \(reference)") != nil
    }

    public func nextNumber(_ tx: Session) throws -> Int {
        try tx.queryOne("SELECT coalesce(max(id), 0) + 1 AS next FROM mandates").decode("next")
    }

    /// Records a signed mandate; the family's previous one in force, if any, is revoked by it
    /// (one account at a time is debited). The caller holds the family's lock.
    public func create(
        _ tx: Session, familyID: Int, reference: String, debtorName: String, iban: String, bic: String, signedOn: LocalDate,
        source: Source, by accountID: Int?, from address: String?
    ) throws -> Int {
        try tx.execute(
            """
            UPDATE mandates SET state = 'revoked', revoked_at = now(), revoked_reason = 'replaced'
            WHERE family_id = \(familyID) AND state = 'active'
            """)
        return try tx.queryOne(
            """
            INSERT INTO mandates (family_id, reference, debtor_name, iban, bic, signed_on, source, signed_by, signed_from)
            VALUES (\(familyID), \(reference), \(debtorName), \(iban), \(bic), \(signedOn), \(source.rawValue), \(accountID),
                \(address))
            RETURNING id
            """
        ).decode("id")
    }

    /// Revokes a mandate in force; false when it was not (already revoked, or not this family's).
    public func revoke(_ tx: Session, id: Int, familyID: Int? = nil, reason: String) throws -> Bool {
        try tx.queryFirst(
            """
            UPDATE mandates SET state = 'revoked', revoked_at = now(), revoked_reason = \(reason)
            WHERE id = \(id) AND state = 'active' AND (\(familyID)::bigint IS NULL OR family_id = \(familyID))
            RETURNING id
            """) != nil
    }

    /// Notes a bank's reject on the mandate; `revoke` when the reason means it cannot be used again.
    public func markRejected(_ tx: Session, id: Int, reason: String, on day: LocalDate, revoke: Bool) throws {
        try tx.execute(
            """
            UPDATE mandates SET rejects = rejects + 1, last_reject_reason = \(reason), last_reject_on = \(day),
                state = CASE WHEN \(revoke) THEN 'revoked' ELSE state END,
                revoked_at = CASE WHEN \(revoke) AND state = 'active' THEN now() ELSE revoked_at END,
                revoked_reason = CASE WHEN \(revoke) AND state = 'active' THEN \(reason) ELSE revoked_reason END
            WHERE id = \(id)
            """)
    }
}
