import Foundation
import MarelleCore
import MarelleDatabase

/// Online payment attempts (`online_payments`) and the provider notifications' log. An
/// attempt becomes money (`payments`, method `online`, allocated to its invoices) only in
/// `settlePaid`, which the provider's own answer drives; everything else only moves its state.
public struct OnlinePaymentStore: Sendable {
    public init() {}

    public enum State: String, Sendable, Hashable, Codable {
        case created, pending, paid, failed, expired, refunded
    }

    public struct Attempt: Sendable, Hashable {
        public let id: Int
        public let familyID: Int?
        public let familyName: String
        public let provider: String
        public let state: State
        public let amountCents: Int
        public let currency: String
        public let checkoutRef: String?
        public let paymentID: Int?
        public let receiptNumber: String?
        public let failure: String?
        public let createdAt: Date
        public let checkedAt: Date?
    }

    static let columns: SQL = """
        o.id, o.family_id, o.family_name, o.provider, o.state, o.amount_cents, o.currency, o.checkout_ref, o.payment_id,
        p.receipt_number, o.failure, o.created_at, o.checked_at
        FROM online_payments o LEFT JOIN payments p ON p.id = o.payment_id
        """

    static func attempt(_ row: Row) throws -> Attempt {
        Attempt(
            id: try row.decode("id"), familyID: try row.decode("family_id"), familyName: try row.decode("family_name"),
            provider: try row.decode("provider"), state: State(rawValue: try row.decode("state")) ?? .created,
            amountCents: try row.decode("amount_cents"), currency: try row.decode("currency"),
            checkoutRef: try row.decode("checkout_ref"), paymentID: try row.decode("payment_id"),
            receiptNumber: try row.decode("receipt_number"), failure: try row.decode("failure"),
            createdAt: try row.decode("created_at"), checkedAt: try row.decode("checked_at"))
    }

    /// An attempt by id; with `familyID`, only that family's.
    public func find(_ tx: Session, id: Int, familyID: Int? = nil) throws -> Attempt? {
        try tx.queryFirst(
            "SELECT \(Self.columns) WHERE o.id = \(id) AND (\(familyID)::bigint IS NULL OR o.family_id = \(familyID))"
        ).map(Self.attempt)
    }

    /// The attempt a provider's checkout belongs to, locked until the transaction ends: two
    /// notifications of one checkout settle one after the other.
    public func lock(_ tx: Session, provider: String, checkoutRef: String) throws -> Attempt? {
        guard
            let id: Int = try tx.queryFirst(
                "SELECT id FROM online_payments WHERE provider = \(provider) AND checkout_ref = \(checkoutRef) FOR UPDATE"
            )?.decode("id")
        else { return nil }
        return try find(tx, id: id)
    }

    public func list(_ tx: Session, familyID: Int) throws -> [Attempt] {
        try tx.query("SELECT \(Self.columns) WHERE o.family_id = \(familyID) ORDER BY o.created_at DESC, o.id DESC LIMIT 50")
            .map(Self.attempt)
    }

    /// A new attempt for what `invoices` owe (after the family's lock).
    public func create(
        _ tx: Session, familyID: Int, familyName: String, provider: String, invoices: [(id: Int, owedCents: Int)],
        by accountID: Int?
    ) throws -> Int {
        let total = invoices.map(\.owedCents).reduce(0, +)
        let id: Int = try tx.queryOne(
            """
            INSERT INTO online_payments (family_id, family_name, provider, amount_cents, started_by)
            VALUES (\(familyID), \(familyName), \(provider), \(total), \(accountID)) RETURNING id
            """
        ).decode("id")
        for invoice in invoices {
            try tx.execute(
                """
                INSERT INTO online_payment_invoices (online_payment_id, invoice_id, amount_cents)
                VALUES (\(id), \(invoice.id), \(invoice.owedCents))
                """)
        }
        return id
    }

    /// The provider opened its checkout: the parent is on their way to it.
    public func markPending(_ tx: Session, id: Int, checkoutRef: String) throws {
        try tx.execute(
            """
            UPDATE online_payments SET state = 'pending', checkout_ref = \(checkoutRef), updated_at = now()
            WHERE id = \(id) AND state = 'created'
            """)
    }

    /// Failed, expired (or created and never sent): the invoices stay open. A paid attempt
    /// stays paid, whatever comes after.
    public func markUnpaid(_ tx: Session, id: Int, state: State, failure: String?) throws {
        try tx.execute(
            """
            UPDATE online_payments SET state = \(state.rawValue), failure = \(failure), updated_at = now(), checked_at = now()
            WHERE id = \(id) AND state IN ('created', 'pending', 'failed', 'expired')
            """)
    }

    public func markChecked(_ tx: Session, id: Int) throws {
        try tx.execute("UPDATE online_payments SET checked_at = now() WHERE id = \(id)")
    }

    /// The invoices an attempt meant to pay, oldest first.
    public func invoices(_ tx: Session, id: Int) throws -> [Int] {
        try tx.query(
            """
            SELECT l.invoice_id FROM online_payment_invoices l JOIN invoices i ON i.id = l.invoice_id
            WHERE l.online_payment_id = \(id) ORDER BY i.issued_on, i.id
            """
        ).map { try $0.decode("invoice_id") }
    }

    /// The money arrived (the provider's server said so, for this amount): a payment with its
    /// receipt number, allocated to the attempt's invoices as far as they still owe, the rest
    /// to the family's other invoices, then credit. Call it with the attempt locked (`lock`)
    /// and the family locked (`FamilyAccountStore.lock`).
    public func settlePaid(_ tx: Session, attempt: Attempt, transactionRef: String, today: LocalDate) throws -> Int {
        let accounts = FamilyAccountStore()
        guard let familyID = attempt.familyID else { throw Failure.familyGone }
        let paymentID = try accounts.record(
            tx, familyID: familyID, familyName: attempt.familyName, method: .online,
            reference: String("\(attempt.provider) \(transactionRef)".prefix(100)), amountCents: attempt.amountCents,
            receivedOn: today, note: "", by: nil, today: today)
        var left = attempt.amountCents
        let open = Dictionary(
            uniqueKeysWithValues: try accounts.openInvoices(tx, familyID: familyID).map { ($0.id, $0.owedCents) })
        for invoiceID in try invoices(tx, id: attempt.id) where left > 0 {
            guard let owed = open[invoiceID], owed > 0 else { continue }
            let part = min(owed, left)
            try accounts.allocate(tx, paymentID: paymentID, invoiceID: invoiceID, amountCents: part)
            left -= part
        }
        if left > 0 { try accounts.applyCredit(tx, familyID: familyID) }
        try tx.execute(
            """
            UPDATE online_payments SET state = 'paid', payment_id = \(paymentID), transaction_ref = \(transactionRef),
                failure = NULL, updated_at = now(), checked_at = now(), settled_at = now()
            WHERE id = \(attempt.id)
            """)
        return paymentID
    }

    /// A body as text PostgreSQL takes: valid UTF-8 (a stray byte becomes U+FFFD), no NUL, at
    /// most 20,000 characters.
    static func printable(_ body: [UInt8]) -> String {
        String(String(decoding: body.prefix(60000), as: UTF8.self).replacingOccurrences(of: "\u{0}", with: "").prefix(20000))
    }

    public enum Failure: Error {
        /// The family was erased while its payment was under way.
        case familyGone
    }

    /// Attempts still waiting for the provider's word, checked last before `before`.
    public func unsettled(_ tx: Session, before: Date, limit: Int = 100) throws -> [Attempt] {
        try tx.query(
            """
            SELECT \(Self.columns) WHERE o.state IN ('created', 'pending') AND coalesce(o.checked_at, o.created_at) < \(before)
            ORDER BY o.created_at LIMIT \(limit)
            """
        ).map(Self.attempt)
    }

    /// Logs a notification as received and what was done with it.
    public func logNotification(
        _ tx: Session, provider: String, eventRef: String?, signatureValid: Bool, paymentID: Int?, outcome: String,
        remoteIP: String?, body: [UInt8]
    ) throws {
        try tx.execute(
            """
            INSERT INTO payment_notifications (provider, event_ref, signature_valid, online_payment_id, outcome, remote_ip, body)
            VALUES (\(provider), \(eventRef.map { String($0.prefix(255)) }), \(signatureValid), \(paymentID),
                \(String(outcome.prefix(200))), \(remoteIP), \(Self.printable(body)))
            """)
    }
}
