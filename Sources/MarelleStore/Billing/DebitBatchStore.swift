import Foundation
import MarelleCore
import MarelleDatabase

/// Direct-debit batches and their lines. A draft's lines can still go; `submit` freezes the
/// batch, with the creditor as the file names it. The money is recorded by the App in the
/// same transaction (`FamilyAccountStore`), and given back on a reject.
public struct DebitBatchStore: Sendable {
    public init() {}

    public enum State: String, Sendable, Hashable, Codable { case draft, submitted }
    public enum LineState: String, Sendable, Hashable, Codable { case included, collected, rejected }

    public struct Batch: Sendable, Hashable {
        public let id: Int
        public let collectionDate: LocalDate
        public let state: State
        public let messageID: String?
        public let creditor: MandateStore.Creditor?
        public let createdAt: Date
        public let submittedAt: Date?
        public let lineCount: Int
        public let totalCents: Int
        public let rejectedCount: Int
    }

    public struct Line: Sendable, Hashable {
        public let id: Int
        public let batchID: Int
        public let mandateID: Int
        public let familyID: Int?
        public let familyName: String
        public let invoiceID: Int
        public let invoiceNumber: String
        public let invoiceMonth: Month
        public let amountCents: Int
        public let sequence: String
        public let endToEndID: String
        public let paymentID: Int?
        public let state: LineState
        public let rejectReason: String?
        public let rejectedOn: LocalDate?
        public let mandateReference: String
        public let mandateSignedOn: LocalDate
        public let mandateActive: Bool
        public let debtorName: String
        public let iban: String
        public let bic: String
    }

    /// An invoice a new batch for `collectionDate` would debit.
    public struct Candidate: Sendable, Hashable {
        public let invoiceID: Int
        public let invoiceNumber: String
        public let familyID: Int
        public let mandateID: Int
        public let owedCents: Int
        public let firstCollection: Bool
    }

    static let batchColumns: SQL = """
        b.id, b.collection_date, b.state, b.message_id, b.creditor_name, b.creditor_iban, b.creditor_bic,
        b.creditor_identifier, b.created_at, b.submitted_at,
        (SELECT count(*) FROM debit_batch_lines l WHERE l.batch_id = b.id)::bigint AS line_count,
        coalesce((SELECT sum(l.amount_cents) FROM debit_batch_lines l WHERE l.batch_id = b.id), 0)::bigint AS total_cents,
        (SELECT count(*) FROM debit_batch_lines l WHERE l.batch_id = b.id AND l.state = 'rejected')::bigint AS rejected_count
        FROM debit_batches b
        """

    static func batch(_ row: Row) throws -> Batch {
        let name: String? = try row.decode("creditor_name")
        let creditor = try name.map {
            MandateStore.Creditor(
                name: $0, iban: try row.decode("creditor_iban"), bic: try row.decode("creditor_bic"),
                identifier: try row.decode("creditor_identifier"), enabled: true)
        }
        return Batch(
            id: try row.decode("id"), collectionDate: try row.decode("collection_date"),
            state: State(rawValue: try row.decode("state")) ?? .draft, messageID: try row.decode("message_id"),
            creditor: creditor, createdAt: try row.decode("created_at"), submittedAt: try row.decode("submitted_at"),
            lineCount: try row.decode("line_count"), totalCents: try row.decode("total_cents"),
            rejectedCount: try row.decode("rejected_count"))
    }

    public func find(_ tx: Session, id: Int, lock: Bool = false) throws -> Batch? {
        try tx.queryFirst("SELECT \(Self.batchColumns) WHERE b.id = \(id) \(lock ? "FOR UPDATE OF b" as SQL : "")")
            .map(Self.batch)
    }

    /// The batches, newest collection first.
    public func list(_ tx: Session, limit: Int = 100) throws -> [Batch] {
        try tx.query("SELECT \(Self.batchColumns) ORDER BY b.collection_date DESC, b.id DESC LIMIT \(limit)").map(Self.batch)
    }

    static let lineColumns: SQL = """
        l.id, l.batch_id, l.mandate_id, m.family_id, coalesce(f.name, i.family_name) AS family_name, l.invoice_id,
        i.number AS invoice_number, i.month AS invoice_month, l.amount_cents, l.sequence, l.end_to_end_id, l.payment_id,
        l.state, l.reject_reason, l.rejected_on, m.reference, m.signed_on, m.state = 'active' AS mandate_active, m.debtor_name,
        m.iban, m.bic
        FROM debit_batch_lines l JOIN mandates m ON m.id = l.mandate_id JOIN invoices i ON i.id = l.invoice_id
        LEFT JOIN families f ON f.id = m.family_id
        """

    static func line(_ row: Row) throws -> Line {
        Line(
            id: try row.decode("id"), batchID: try row.decode("batch_id"), mandateID: try row.decode("mandate_id"),
            familyID: try row.decode("family_id"), familyName: try row.decode("family_name"),
            invoiceID: try row.decode("invoice_id"), invoiceNumber: try row.decode("invoice_number"),
            invoiceMonth: Month(of: try row.decode("invoice_month")), amountCents: try row.decode("amount_cents"),
            sequence: try row.decode("sequence"), endToEndID: try row.decode("end_to_end_id"),
            paymentID: try row.decode("payment_id"), state: LineState(rawValue: try row.decode("state")) ?? .included,
            rejectReason: try row.decode("reject_reason"), rejectedOn: try row.decode("rejected_on"),
            mandateReference: try row.decode("reference"), mandateSignedOn: try row.decode("signed_on"),
            mandateActive: try row.decode("mandate_active"),
            debtorName: try row.decode("debtor_name"), iban: try row.decode("iban"), bic: try row.decode("bic"))
    }

    public func lines(_ tx: Session, batchID: Int) throws -> [Line] {
        try tx.query("SELECT \(Self.lineColumns) WHERE l.batch_id = \(batchID) ORDER BY family_name, l.id").map(Self.line)
    }

    public func line(_ tx: Session, id: Int, batchID: Int) throws -> Line? {
        try tx.queryFirst("SELECT \(Self.lineColumns) WHERE l.id = \(id) AND l.batch_id = \(batchID) FOR UPDATE OF l")
            .map(Self.line)
    }

    public func line(_ tx: Session, endToEndID: String) throws -> Line? {
        try tx.queryFirst("SELECT \(Self.lineColumns) WHERE l.end_to_end_id = \(endToEndID) FOR UPDATE OF l").map(Self.line)
    }

    /// An invoice's lines, in every batch that presented it (its page announces the latest).
    public func lines(_ tx: Session, invoiceID: Int) throws -> [Line] {
        try tx.query("SELECT \(Self.lineColumns) WHERE l.invoice_id = \(invoiceID) ORDER BY l.id").map(Self.line)
    }

    /// Invoices due by `collectionDate` that still owe something, of families with a mandate in
    /// force, and in no batch yet (a rejected line does not count: the invoice may be presented again).
    public func candidates(_ tx: Session, dueBy collectionDate: LocalDate) throws -> [Candidate] {
        try tx.query(
            """
            SELECT i.id AS invoice_id, i.number, i.family_id, m.id AS mandate_id,
                (i.total_cents
                 - coalesce((SELECT sum(c.total_cents) FROM invoices c WHERE c.credits_invoice_id = i.id), 0)
                 - coalesce((SELECT sum(a.amount_cents) FROM allocations a WHERE a.invoice_id = i.id), 0))::bigint AS owed,
                NOT EXISTS (SELECT 1 FROM debit_batch_lines p WHERE p.mandate_id = m.id AND p.state = 'collected') AS first
            FROM invoices i JOIN mandates m ON m.family_id = i.family_id AND m.state = 'active'
            WHERE i.kind = 'invoice' AND i.due_on <= \(collectionDate)
              AND NOT EXISTS (SELECT 1 FROM debit_batch_lines l WHERE l.invoice_id = i.id AND l.state <> 'rejected')
            ORDER BY i.family_name, i.number
            """
        ).compactMap { row in
            let owed: Int = try row.decode("owed")
            guard owed > 0 else { return nil }
            return Candidate(
                invoiceID: try row.decode("invoice_id"), invoiceNumber: try row.decode("number"),
                familyID: try row.decode("family_id"),
                mandateID: try row.decode("mandate_id"), owedCents: owed, firstCollection: try row.decode("first"))
        }
    }

    public func create(_ tx: Session, collectionDate: LocalDate, by accountID: Int?) throws -> Int {
        try tx.queryOne(
            "INSERT INTO debit_batches (collection_date, created_by) VALUES (\(collectionDate), \(accountID)) RETURNING id"
        ).decode("id")
    }

    public func addLine(
        _ tx: Session, batchID: Int, mandateID: Int, invoiceID: Int, amountCents: Int, first: Bool, endToEndID: String
    ) throws {
        try tx.execute(
            """
            INSERT INTO debit_batch_lines (batch_id, mandate_id, invoice_id, amount_cents, sequence, end_to_end_id)
            VALUES (\(batchID), \(mandateID), \(invoiceID), \(amountCents), \(first ? "FRST" : "RCUR"), \(endToEndID))
            """)
    }

    public func nextLineNumber(_ tx: Session) throws -> Int {
        try tx.queryOne("SELECT coalesce(max(id), 0) + 1 AS next FROM debit_batch_lines").decode("next")
    }

    public func setLine(_ tx: Session, id: Int, amountCents: Int) throws {
        try tx.execute("UPDATE debit_batch_lines SET amount_cents = \(amountCents) WHERE id = \(id)")
    }

    public func removeLine(_ tx: Session, id: Int, batchID: Int) throws -> Bool {
        try tx.queryFirst(
            """
            DELETE FROM debit_batch_lines l USING debit_batches b
            WHERE l.id = \(id) AND l.batch_id = \(batchID) AND b.id = l.batch_id AND b.state = 'draft' RETURNING l.id
            """) != nil
    }

    public func delete(_ tx: Session, id: Int) throws -> Bool {
        try tx.queryFirst("DELETE FROM debit_batches WHERE id = \(id) AND state = 'draft' RETURNING id") != nil
    }

    public func markCollected(_ tx: Session, lineID: Int, paymentID: Int) throws {
        try tx.execute("UPDATE debit_batch_lines SET state = 'collected', payment_id = \(paymentID) WHERE id = \(lineID)")
    }

    public func submit(
        _ tx: Session, id: Int, messageID: String, creditor: MandateStore.Creditor, at instant: Date
    ) throws {
        try tx.execute(
            """
            UPDATE debit_batches SET state = 'submitted', message_id = \(messageID), submitted_at = \(instant),
                creditor_name = \(creditor.name), creditor_iban = \(creditor.iban), creditor_bic = \(creditor.bic),
                creditor_identifier = \(creditor.identifier)
            WHERE id = \(id)
            """)
    }

    public func markRejected(_ tx: Session, lineID: Int, reason: String, on day: LocalDate) throws {
        try tx.execute(
            "UPDATE debit_batch_lines SET state = 'rejected', reject_reason = \(reason), rejected_on = \(day) WHERE id = \(lineID)"
        )
    }
}
