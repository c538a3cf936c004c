import MarelleCore
import MarelleDatabase

/// Invoices past their due date that still owe something: the reminder mail sent once per
/// invoice at D+N, and the block on new bookings while a family's overdue total is above the
/// association's threshold.
public struct OverdueStore: Sendable {
    public init() {}

    /// What an invoice still owes: its total less its credit notes and the payments allocated to it.
    static let owed: SQL = """
        greatest(0, i.total_cents
            - coalesce((SELECT sum(c.total_cents) FROM invoices c WHERE c.credits_invoice_id = i.id), 0)
            - coalesce((SELECT sum(a.amount_cents) FROM allocations a WHERE a.invoice_id = i.id), 0))
        """

    /// The family's overdue total when it is above the threshold set on the billing settings
    /// (nil: not blocked, or no threshold), read in the submission's first round trip.
    public func block(familyID: Int, today: LocalDate) -> Query<Int?> {
        Query(
            """
            SELECT o.cents FROM association_settings s,
                LATERAL (SELECT coalesce(sum(\(Self.owed)), 0)::bigint AS cents FROM invoices i
                         WHERE i.family_id = \(familyID) AND i.kind = 'invoice' AND i.due_on < \(today)) o
            WHERE s.blocking_cents IS NOT NULL AND o.cents > s.blocking_cents
            """
        ) { rows in try rows.first?.decode("cents") }
    }

    public func block(_ tx: Session, familyID: Int, today: LocalDate) throws -> Int? {
        try tx.fetch(block(familyID: familyID, today: today))
    }

    public struct Reminder: Sendable, Hashable {
        public let invoiceID: Int
        public let number: String
        public let familyID: Int
        public let month: Month
        public let issuedOn: LocalDate
        public let dueOn: LocalDate
        public let totalCents: Int
        public let owedCents: Int
    }

    /// Marks as reminded, and returns, up to `limit` invoices whose due date is at least the
    /// settings' reminder days behind `today` and that still owe something. The UPDATE is the
    /// claim: two servers' passes at once remind each invoice once (the second waits for the
    /// first's row locks, then finds `reminded_at` set).
    public func claimReminders(_ tx: Session, today: LocalDate, limit: Int = 200) throws -> [Reminder] {
        try tx.query(
            """
            WITH due AS (
                SELECT i.id, \(Self.owed) AS owed FROM invoices i, association_settings s
                WHERE s.reminder_days IS NOT NULL AND i.kind = 'invoice' AND i.reminded_at IS NULL
                  AND i.family_id IS NOT NULL AND i.due_on + s.reminder_days <= \(today)
                ORDER BY i.due_on, i.id
            )
            UPDATE invoices i SET reminded_at = now()
            FROM (SELECT id, owed FROM due WHERE owed > 0 LIMIT \(limit)) d
            WHERE i.id = d.id AND i.reminded_at IS NULL
            RETURNING i.id, i.number, i.family_id, i.month, i.issued_on, i.due_on, i.total_cents, d.owed
            """
        ).map {
            Reminder(
                invoiceID: try $0.decode("id"), number: try $0.decode("number"), familyID: try $0.decode("family_id"),
                month: Month(of: try $0.decode("month")), issuedOn: try $0.decode("issued_on"), dueOn: try $0.decode("due_on"),
                totalCents: try $0.decode("total_cents"), owedCents: try $0.decode("owed"))
        }
    }
}
