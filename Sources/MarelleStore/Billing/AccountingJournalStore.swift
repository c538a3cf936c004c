import MarelleCore
import MarelleDatabase

/// The month's accounting journal for the association's bookkeeper: every invoice, credit note,
/// payment and refund dated in the month, as double entries on the French chart of accounts
/// (411 families, 706 services, 512 bank, 530 cash; one auxiliary account per family).
public struct AccountingJournalStore: Sendable {
    public init() {}

    public struct Entry: Sendable, Hashable {
        public let on: LocalDate
        /// VE sales (invoices, credit notes), BQ bank, CA cash.
        public let journal: String
        public let account: String
        public let label: String
        public let debitCents: Int
        public let creditCents: Int
    }

    public func entries(_ tx: Session, month: Month) throws -> [Entry] {
        let rows = try tx.query(
            """
            SELECT on_day, kind, number, family_id, family_name, method, amount_cents FROM (
                SELECT issued_on AS on_day, kind, number, family_id, family_name, '' AS method, total_cents AS amount_cents,
                    issued_at AS at, id
                FROM invoices WHERE issued_on >= \(month.first) AND issued_on < \(month.next.first)
                UNION ALL
                SELECT received_on, 'payment', receipt_number, family_id, family_name, method, amount_cents, recorded_at, id
                FROM payments WHERE received_on >= \(month.first) AND received_on < \(month.next.first)
                UNION ALL
                SELECT r.refunded_on, 'refund', p.receipt_number, r.family_id, p.family_name, r.method, r.amount_cents,
                    r.recorded_at, r.id
                FROM refunds r JOIN payments p ON p.id = r.payment_id
                WHERE r.refunded_on >= \(month.first) AND r.refunded_on < \(month.next.first)
            ) entries ORDER BY on_day, at, id
            """)
        var entries: [Entry] = []
        for row in rows {
            let (on, kind, number): (LocalDate, String, String) = (
                try row.decode("on_day"), try row.decode("kind"), try row.decode("number")
            )
            let family: Int? = try row.decode("family_id")
            let name: String = try row.decode("family_name")
            let cents: Int = try row.decode("amount_cents")
            let customer = "411F" + (family.map(String.init) ?? "0")
            let label = "\(number) \(name)"
            let cash = try row.decode("method", as: String.self) == PaymentMethod.cash.rawValue
            let treasury = (journal: cash ? "CA" : "BQ", account: cash ? "530" : "512")
            // Each operation: the debit line, then the credit line.
            let pair: [(String, String, Bool)] =
                switch kind {
                case "invoice": [("VE", customer, true), ("VE", "706", false)]
                case "credit_note": [("VE", "706", true), ("VE", customer, false)]
                case "payment": [(treasury.journal, treasury.account, true), (treasury.journal, customer, false)]
                default: [(treasury.journal, customer, true), (treasury.journal, treasury.account, false)]
                }
            for (journal, account, debit) in pair {
                entries.append(
                    Entry(
                        on: on, journal: journal, account: account, label: label, debitCents: debit ? cents : 0,
                        creditCents: debit ? 0 : cents))
            }
        }
        return entries
    }
}
