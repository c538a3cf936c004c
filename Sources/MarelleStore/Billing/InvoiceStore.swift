import Foundation
import MarelleCore
import MarelleDatabase

/// Issued invoices and credit notes, read back. They are written by `InvoicingStore` and
/// `CreditNotes` only, and never changed (a trigger refuses it).
public struct InvoiceStore: Sendable {
    public init() {}

    public enum Kind: String, Sendable, Hashable, Codable {
        case invoice
        case creditNote = "credit_note"
    }

    public struct Invoice: Sendable, Hashable {
        public let id: Int
        public let kind: Kind
        public let number: String
        public let familyID: Int?
        public let familyName: String
        public let billingAddress: String
        public let month: Month
        public let issuedOn: LocalDate
        public let dueOn: LocalDate
        public let totalCents: Int
        /// A credit note's invoice, by id and number.
        public let creditsInvoiceID: Int?
        public let creditsNumber: String?
        public let reason: String?
        public let issuedAt: Date
        /// Credit notes issued against this invoice, and payments allocated to it.
        public let creditedCents: Int
        public let paidCents: Int

        /// What the family still owes on it (0 for a credit note).
        public var owedCents: Int { kind == .invoice ? max(0, totalCents - creditedCents - paidCents) : 0 }

        public func status(today: LocalDate) -> InvoiceStatus {
            InvoiceStatus.of(
                totalCents: totalCents, creditedCents: creditedCents, paidCents: paidCents, dueOn: dueOn, today: today)
        }
    }

    public struct Line: Sendable, Hashable {
        public let position: Int
        public let bookingID: Int?
        public let childID: Int?
        public let day: LocalDate?
        /// "Activity · Child" (names as they were when issued).
        public let label: String
        public let rule: BillingRule.LineRule
        public let priceCents: Int
        public let amountCents: Int
        public let childcare: Bool
    }

    static let columns: SQL = """
        i.id, i.kind, i.number, i.family_id, i.family_name, i.billing_address, i.month, i.issued_on, i.due_on, i.total_cents,
        i.credits_invoice_id, o.number AS credits_number, i.reason, i.issued_at,
        coalesce((SELECT sum(c.total_cents) FROM invoices c WHERE c.credits_invoice_id = i.id), 0)::bigint AS credited_cents,
        coalesce((SELECT sum(a.amount_cents) FROM allocations a WHERE a.invoice_id = i.id), 0)::bigint AS paid_cents
        FROM invoices i LEFT JOIN invoices o ON o.id = i.credits_invoice_id
        """

    static func invoice(_ row: Row) throws -> Invoice {
        Invoice(
            id: try row.decode("id"), kind: Kind(rawValue: try row.decode("kind")) ?? .invoice, number: try row.decode("number"),
            familyID: try row.decode("family_id"), familyName: try row.decode("family_name"),
            billingAddress: try row.decode("billing_address"), month: Month(of: try row.decode("month")),
            issuedOn: try row.decode("issued_on"), dueOn: try row.decode("due_on"), totalCents: try row.decode("total_cents"),
            creditsInvoiceID: try row.decode("credits_invoice_id"), creditsNumber: try row.decode("credits_number"),
            reason: try row.decode("reason"), issuedAt: try row.decode("issued_at"),
            creditedCents: try row.decode("credited_cents"), paidCents: try row.decode("paid_cents"))
    }

    /// An invoice or credit note by id; with `familyID`, only if it is that family's (a parent
    /// asking for another family's number gets nil, as for one that does not exist).
    public func find(_ tx: Session, id: Int, familyID: Int? = nil) throws -> Invoice? {
        try tx.queryFirst(
            "SELECT \(Self.columns) WHERE i.id = \(id) AND (\(familyID)::bigint IS NULL OR i.family_id = \(familyID))"
        ).map(Self.invoice)
    }

    /// A family's invoices and credit notes, newest first.
    public func list(_ tx: Session, familyID: Int) throws -> [Invoice] {
        try tx.query("SELECT \(Self.columns) WHERE i.family_id = \(familyID) ORDER BY i.issued_at DESC, i.id DESC")
            .map(Self.invoice)
    }

    /// The invoices and credit notes of a month, by number.
    public func list(_ tx: Session, month: Month) throws -> [Invoice] {
        try tx.query("SELECT \(Self.columns) WHERE i.month = \(month.first) ORDER BY i.kind, i.number").map(Self.invoice)
    }

    public func lines(_ tx: Session, invoiceID: Int) throws -> [Line] {
        try tx.query(
            """
            SELECT position, booking_id, child_id, day, label, rule, price_cents, amount_cents, childcare
            FROM invoice_lines WHERE invoice_id = \(invoiceID) ORDER BY position
            """
        ).map { row in
            Line(
                position: try row.decode("position"), bookingID: try row.decode("booking_id"),
                childID: try row.decode("child_id"),
                day: try row.decode("day"), label: try row.decode("label"),
                rule: BillingRule.LineRule(rawValue: try row.decode("rule")) ?? .full, priceCents: try row.decode("price_cents"),
                amountCents: try row.decode("amount_cents"), childcare: try row.decode("childcare"))
        }
    }

    /// Inserts an invoice or credit note with its lines; the number comes from `DocumentCounterStore`.
    func insert(
        _ tx: Session, kind: Kind, number: DocumentNumber, familyID: Int, familyName: String, address: String, month: Month,
        issuedOn: LocalDate, dueOn: LocalDate, lines: [NewLine], creditsInvoiceID: Int? = nil, reason: String? = nil,
        runID: Int? = nil, by accountID: Int?
    ) throws -> Int {
        let id: Int = try tx.queryOne(
            """
            INSERT INTO invoices (kind, number, family_id, family_name, billing_address, month, issued_on, due_on, total_cents,
                credits_invoice_id, reason, run_id, issued_by)
            VALUES (\(kind.rawValue), \(number.description), \(familyID), \(familyName), \(address), \(month.first), \(issuedOn),
                \(dueOn), \(lines.map(\.amountCents).reduce(0, +)), \(creditsInvoiceID), \(reason), \(runID), \(accountID))
            RETURNING id
            """
        ).decode("id")
        if !lines.isEmpty {
            let values = lines.enumerated().map { position, line -> SQL in
                """
                (\(id), \(position + 1), \(line.bookingID), \(line.childID), \(line.day), \(line.label), \(line.rule.rawValue),
                 \(line.priceCents), \(line.amountCents), \(line.childcare))
                """
            }
            try tx.execute(
                "INSERT INTO invoice_lines (invoice_id, position, booking_id, child_id, day, label, rule, price_cents, amount_cents, childcare) VALUES "
                    + SQL.join(values, separator: ", "))
        }
        return id
    }

    /// A line about to be issued.
    struct NewLine: Sendable {
        let bookingID: Int?
        let childID: Int?
        let day: LocalDate?
        let label: String
        let rule: BillingRule.LineRule
        let priceCents: Int
        let amountCents: Int
        let childcare: Bool
    }

    /// The address of the family's first legal guardian, on one line per part.
    public func billingAddress(_ tx: Session, familyID: Int) throws -> String {
        guard
            let row = try tx.queryFirst(
                """
                SELECT coalesce(street, '') AS street, btrim(coalesce(postal_code, '') || ' ' || coalesce(city, '')) AS city
                FROM guardians WHERE family_id = \(familyID) ORDER BY id LIMIT 1
                """)
        else { return "" }
        return [try row.decode("street") as String, try row.decode("city") as String].filter { !$0.isEmpty }
            .joined(separator: "\n")
    }
}
