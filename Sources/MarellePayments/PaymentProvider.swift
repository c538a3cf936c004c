import Foundation
import MarelleCore

/// Which company takes the money. `fake` is Marelle's own stand-in, served by the server in
/// development and tests only.
public enum ProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
    case fake, stripe, helloasso, payfip
}

/// What Marelle asks a provider to collect.
public struct CheckoutRequest: Sendable {
    /// Our online payment's id: sent as the provider's reference and idempotency key.
    public let paymentID: Int
    public let amountCents: Int
    public let currency: String
    public let description: String
    public let customerEmail: String?
    /// Where the parent's browser comes back; the return page only reads the state.
    public let returnURL: String
    public let cancelURL: String
    /// Where the provider's server notifies ours (providers configured per call).
    public let notifyURL: String
    /// The invoices paid (PayFiP takes exactly one, by its number and year).
    public let invoices: [(number: String, year: Int)]

    public init(
        paymentID: Int, amountCents: Int, currency: String, description: String, customerEmail: String?, returnURL: String,
        cancelURL: String, notifyURL: String, invoices: [(number: String, year: Int)] = []
    ) {
        self.invoices = invoices
        (self.paymentID, self.amountCents, self.currency, self.description, self.customerEmail) = (
            paymentID, amountCents, currency, description, customerEmail
        )
        (self.returnURL, self.cancelURL, self.notifyURL) = (returnURL, cancelURL, notifyURL)
    }
}

/// A checkout the provider opened: its reference and the page to send the parent to.
public struct Checkout: Sendable, Equatable {
    public let reference: String
    public let redirectURL: String

    public init(reference: String, redirectURL: String) {
        (self.reference, self.redirectURL) = (reference, redirectURL)
    }
}

/// The provider's word on a checkout, as its API answers when asked (never a notification's
/// body: anyone can post one).
public struct ProviderStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        case open, paid, failed, expired
    }
    public let state: State
    public let amountCents: Int
    /// ISO 4217, upper case.
    public let currency: String
    /// The provider's id of the money movement, once paid.
    public let transactionReference: String?

    public init(state: State, amountCents: Int, currency: String, transactionReference: String?) {
        (self.state, self.amountCents, self.currency, self.transactionReference) = (
            state, amountCents, currency.uppercased(), transactionReference
        )
    }
}

/// A notification whose signature held: the checkout it is about (empty: an event with
/// nothing to read back, acknowledged), and the provider's own id of the event (what makes a
/// repeated delivery recognisable in the log).
public struct VerifiedNotification: Sendable, Equatable {
    public let checkoutReference: String
    public let eventReference: String

    public init(checkoutReference: String, eventReference: String) {
        (self.checkoutReference, self.eventReference) = (checkoutReference, eventReference)
    }
}

/// One provider behind the core: open a checkout, read its state back, check a notification.
public protocol PaymentProvider: Sendable {
    var kind: ProviderKind { get }
    func createCheckout(_ request: CheckoutRequest) async throws -> Checkout
    func status(ofCheckout reference: String) async throws -> ProviderStatus
    /// Nil when the signature does not hold (or the body is not a notification of ours).
    func verify(body: [UInt8], headers: [String: String], now: Date) -> VerifiedNotification?
}

public struct ProviderFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
