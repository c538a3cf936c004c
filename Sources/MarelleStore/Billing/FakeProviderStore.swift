import Foundation
import MarelleCore
import MarelleDatabase

/// The fake provider's own books (development and tests): the checkouts it opened, as a real
/// provider keeps them on its side.
public struct FakeProviderStore: Sendable {
    public init() {}

    public struct Checkout: Sendable, Hashable {
        public let id: String
        public let reference: String
        public let secret: String
        public let amountCents: Int
        public let currency: String
        public let description: String
        public let returnURL: String
        public let cancelURL: String
        public let notifyURL: String
        public let state: String
        public let transactionID: String?
    }

    public func create(
        _ tx: Session, id: String, reference: String, secret: String, amountCents: Int, currency: String, description: String,
        returnURL: String, cancelURL: String, notifyURL: String
    ) throws {
        try tx.execute(
            """
            INSERT INTO fake_provider_checkouts (id, reference, secret, amount_cents, currency, description, return_url,
                cancel_url, notify_url)
            VALUES (\(id), \(reference), \(secret), \(amountCents), \(currency), \(description), \(returnURL), \(cancelURL),
                \(notifyURL))
            """)
    }

    public func find(_ tx: Session, id: String) throws -> Checkout? {
        try tx.queryFirst("SELECT * FROM fake_provider_checkouts WHERE id = \(id)").map {
            Checkout(
                id: try $0.decode("id"), reference: try $0.decode("reference"), secret: try $0.decode("secret"),
                amountCents: try $0.decode("amount_cents"), currency: try $0.decode("currency"),
                description: try $0.decode("description"), returnURL: try $0.decode("return_url"),
                cancelURL: try $0.decode("cancel_url"), notifyURL: try $0.decode("notify_url"), state: try $0.decode("state"),
                transactionID: try $0.decode("transaction_id"))
        }
    }

    /// Pays or refuses an open checkout; false when it was no longer open.
    public func decide(_ tx: Session, id: String, paid: Bool, transactionID: String) throws -> Bool {
        try tx.execute(
            """
            UPDATE fake_provider_checkouts SET state = \(paid ? "paid" : "failed"),
                transaction_id = \(paid ? transactionID : nil)
            WHERE id = \(id) AND state = 'open'
            """
        ) == 1
    }

    /// What the tests' "the provider says another amount" needs.
    public func setAmount(_ tx: Session, id: String, amountCents: Int) throws {
        try tx.execute("UPDATE fake_provider_checkouts SET amount_cents = \(amountCents) WHERE id = \(id)")
    }
}
