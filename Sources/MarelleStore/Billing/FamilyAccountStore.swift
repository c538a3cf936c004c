import Foundation
import MarelleCore
import MarelleDatabase

/// A family's account: payments received, their allocation to invoices, refunds, and the
/// ledger with its balance. Every change starts with `lock`, so that two desks recording for
/// one family at once allocate one after the other.
public struct FamilyAccountStore: Sendable {
    public init() {}

    public struct Payment: Sendable, Hashable {
        public let id: Int
        public let familyID: Int?
        public let familyName: String
        public let method: PaymentMethod
        public let reference: String
        public let amountCents: Int
        public let receivedOn: LocalDate
        public let receiptNumber: String
        public let note: String
        public let recordedAt: Date
        /// Allocated to invoices, and refunded: what is left is the family's credit.
        public let allocatedCents: Int
        public let refundedCents: Int
        public var remainingCents: Int { amountCents - allocatedCents - refundedCents }
    }

    /// A line of the ledger: an invoice raises the balance, a credit note or a payment lowers
    /// it, a refund raises it again.
    public struct Entry: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable, Codable { case invoice, creditNote = "credit_note", payment, refund }
        public let kind: Kind
        public let id: Int
        public let on: LocalDate
        public let number: String
        public let label: String
        /// Positive: the family owes more; negative: less.
        public let amountCents: Int
        public let balanceCents: Int
    }

    public struct Ledger: Sendable {
        public let entries: [Entry]
        /// What the family owes (negative: credit in its favour).
        public var balanceCents: Int { entries.last?.balanceCents ?? 0 }
    }

    /// Locks the family's row for the transaction; its name, or nil when there is no such family.
    public func lock(_ tx: Session, familyID: Int) throws -> String? {
        try tx.queryFirst("SELECT name FROM families WHERE id = \(familyID) FOR UPDATE").map { try $0.decode("name") }
    }

    static let paymentColumns: SQL = """
        p.id, p.family_id, p.family_name, p.method, p.reference, p.amount_cents, p.received_on, p.receipt_number, p.note,
        p.recorded_at,
        coalesce((SELECT sum(a.amount_cents) FROM allocations a WHERE a.payment_id = p.id), 0)::bigint AS allocated_cents,
        coalesce((SELECT sum(r.amount_cents) FROM refunds r WHERE r.payment_id = p.id), 0)::bigint AS refunded_cents
        FROM payments p
        """

    static func payment(_ row: Row) throws -> Payment {
        Payment(
            id: try row.decode("id"), familyID: try row.decode("family_id"), familyName: try row.decode("family_name"),
            method: PaymentMethod(rawValue: try row.decode("method")) ?? .cash, reference: try row.decode("reference"),
            amountCents: try row.decode("amount_cents"), receivedOn: try row.decode("received_on"),
            receiptNumber: try row.decode("receipt_number"), note: try row.decode("note"),
            recordedAt: try row.decode("recorded_at"), allocatedCents: try row.decode("allocated_cents"),
            refundedCents: try row.decode("refunded_cents"))
    }

    public func payments(_ tx: Session, familyID: Int) throws -> [Payment] {
        try tx.query("SELECT \(Self.paymentColumns) WHERE p.family_id = \(familyID) ORDER BY p.received_on, p.id")
            .map(Self.payment)
    }

    /// A payment by id; with `familyID`, only if it is that family's.
    public func payment(_ tx: Session, id: Int, familyID: Int? = nil) throws -> Payment? {
        try tx.queryFirst(
            "SELECT \(Self.paymentColumns) WHERE p.id = \(id) AND (\(familyID)::bigint IS NULL OR p.family_id = \(familyID))"
        ).map(Self.payment)
    }

    /// Records a payment with the next receipt number (after `lock`).
    public func record(
        _ tx: Session, familyID: Int, familyName: String, method: PaymentMethod, reference: String, amountCents: Int,
        receivedOn: LocalDate, note: String, by accountID: Int?, today: LocalDate
    ) throws -> Int {
        let number = try DocumentCounterStore().next(tx, series: .receipt, year: today.year)
        return try tx.queryOne(
            """
            INSERT INTO payments (family_id, family_name, method, reference, amount_cents, received_on, receipt_number, note,
                recorded_by)
            VALUES (\(familyID), \(familyName), \(method.rawValue), \(reference), \(amountCents), \(receivedOn),
                \(number.description), \(note), \(accountID))
            RETURNING id
            """
        ).decode("id")
    }

    /// The family's invoices that still owe something, oldest first, with what they owe.
    public func openInvoices(_ tx: Session, familyID: Int) throws -> [(id: Int, owedCents: Int)] {
        try InvoiceStore().list(tx, familyID: familyID).filter { $0.kind == .invoice && $0.owedCents > 0 }
            .sorted { ($0.issuedOn, $0.id) < ($1.issuedOn, $1.id) }.map { ($0.id, $0.owedCents) }
    }

    /// Adds `amountCents` of payment `paymentID` to invoice `invoiceID`. The caller checks
    /// that neither the payment's remainder nor the invoice's debt is exceeded.
    public func allocate(_ tx: Session, paymentID: Int, invoiceID: Int, amountCents: Int) throws {
        try tx.execute(
            """
            INSERT INTO allocations (payment_id, invoice_id, amount_cents) VALUES (\(paymentID), \(invoiceID), \(amountCents))
            ON CONFLICT (payment_id, invoice_id) DO UPDATE SET amount_cents = allocations.amount_cents + excluded.amount_cents
            """)
    }

    /// Uses the family's credit (the unallocated part of its payments, oldest payment first)
    /// to pay its open invoices, oldest first.
    public func applyCredit(_ tx: Session, familyID: Int) throws {
        var credits = try payments(tx, familyID: familyID).filter { $0.remainingCents > 0 }.map { ($0.id, $0.remainingCents) }
        guard !credits.isEmpty else { return }
        for (invoiceID, debt) in try openInvoices(tx, familyID: familyID) {
            var owed = debt
            while owed > 0, let (paymentID, left) = credits.first {
                let part = min(owed, left)
                try allocate(tx, paymentID: paymentID, invoiceID: invoiceID, amountCents: part)
                owed -= part
                if part == left { credits.removeFirst() } else { credits[0].1 = left - part }
            }
            if credits.isEmpty { return }
        }
    }

    /// Gives back `excessCents` of what was allocated to an invoice (a credit note made it owe
    /// less than was paid), latest allocation first: the money becomes credit again.
    func release(_ tx: Session, invoiceID: Int, excessCents: Int) throws {
        var excess = excessCents
        for row in try tx.query(
            "SELECT id, amount_cents FROM allocations WHERE invoice_id = \(invoiceID) ORDER BY created_at DESC, id DESC")
        where excess > 0 {
            let (id, amount): (Int, Int) = (try row.decode("id"), try row.decode("amount_cents"))
            if amount <= excess {
                try tx.execute("DELETE FROM allocations WHERE id = \(id)")
                excess -= amount
            } else {
                try tx.execute("UPDATE allocations SET amount_cents = amount_cents - \(excess) WHERE id = \(id)")
                excess = 0
            }
        }
    }

    /// Gives credit back out of the family's payments, latest first (after `lock`; the caller
    /// checks that `amountCents` does not exceed the credit).
    public func refund(
        _ tx: Session, familyID: Int, method: PaymentMethod, amountCents: Int, on day: LocalDate, by accountID: Int?
    ) throws {
        var left = amountCents
        for payment in try payments(tx, familyID: familyID).reversed() where left > 0 && payment.remainingCents > 0 {
            let part = min(left, payment.remainingCents)
            try tx.execute(
                """
                INSERT INTO refunds (payment_id, family_id, method, amount_cents, refunded_on, recorded_by)
                VALUES (\(payment.id), \(familyID), \(method.rawValue), \(part), \(day), \(accountID))
                """)
            left -= part
        }
    }

    /// Takes a payment back as the bank took it back (a rejected or returned direct debit):
    /// its allocations go, so the invoices it paid owe again, and a refund of the same method
    /// cancels it in the ledger. After `lock`.
    public func reverse(
        _ tx: Session, paymentID: Int, familyID: Int, method: PaymentMethod, on day: LocalDate, by accountID: Int?
    )
        throws
    {
        guard let payment = try payment(tx, id: paymentID, familyID: familyID) else { return }
        try tx.execute("DELETE FROM allocations WHERE payment_id = \(paymentID)")
        let left = payment.amountCents - payment.refundedCents
        guard left > 0 else { return }
        try tx.execute(
            """
            INSERT INTO refunds (payment_id, family_id, method, amount_cents, refunded_on, recorded_by)
            VALUES (\(paymentID), \(familyID), \(method.rawValue), \(left), \(day), \(accountID))
            """)
    }

    /// The family's credit: what its payments hold that no invoice used and no refund gave back.
    public func creditCents(_ tx: Session, familyID: Int) throws -> Int {
        try payments(tx, familyID: familyID).map(\.remainingCents).reduce(0, +)
    }

    /// The ledger in date order with the running balance.
    public func ledger(_ tx: Session, familyID: Int) throws -> Ledger {
        let rows = try tx.query(
            """
            SELECT kind, id, on_day, number, label, amount_cents FROM (
                SELECT CASE kind WHEN 'invoice' THEN 'invoice' ELSE 'credit_note' END AS kind, id, issued_on AS on_day,
                    number, to_char(month, 'YYYY-MM') AS label,
                    CASE kind WHEN 'invoice' THEN total_cents ELSE -total_cents END AS amount_cents, issued_at AS at
                FROM invoices WHERE family_id = \(familyID)
                UNION ALL
                SELECT 'payment', id, received_on, receipt_number, method, -amount_cents, recorded_at
                FROM payments WHERE family_id = \(familyID)
                UNION ALL
                SELECT 'refund', r.id, r.refunded_on, p.receipt_number, r.method, r.amount_cents, r.recorded_at
                FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.family_id = \(familyID)
            ) entries ORDER BY on_day, at, id
            """)
        var balance = 0
        var entries: [Entry] = []
        for row in rows {
            let amount: Int = try row.decode("amount_cents")
            balance += amount
            entries.append(
                Entry(
                    kind: Entry.Kind(rawValue: try row.decode("kind")) ?? .invoice, id: try row.decode("id"),
                    on: try row.decode("on_day"), number: try row.decode("number"), label: try row.decode("label"),
                    amountCents: amount, balanceCents: balance))
        }
        return Ledger(entries: entries)
    }
}
