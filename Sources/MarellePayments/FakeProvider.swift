import Foundation

/// The fake provider's books, kept by the server that plays it (Marelle itself, in
/// development and tests: `/_fake-pay/`).
public protocol FakeProviderBackend: Sendable {
    func open(_ request: CheckoutRequest, secret: String) async throws -> Checkout
    func status(of reference: String) async throws -> ProviderStatus
}

/// The fake provider: the same three calls as a real one, answered by a backend instead of a
/// company's API, its notifications signed like Stripe's (`Fake-Signature`) with the secret
/// the association saved. What it proves is the core's: nothing is paid until a signed
/// notification (or a re-read) says so.
public struct FakeProvider: PaymentProvider {
    public let kind = ProviderKind.fake
    let secret: String
    let backend: any FakeProviderBackend

    public static let signatureHeader = "fake-signature"

    public init(secret: String, backend: any FakeProviderBackend) {
        (self.secret, self.backend) = (secret, backend)
    }

    /// What the fake provider posts to the notification URL.
    public struct NotificationBody: Codable, Sendable {
        public let event: String
        public let checkout: String
        public init(event: String, checkout: String) { (self.event, self.checkout) = (event, checkout) }
    }

    public func createCheckout(_ request: CheckoutRequest) async throws -> Checkout {
        try await backend.open(request, secret: secret)
    }

    public func status(ofCheckout reference: String) async throws -> ProviderStatus {
        try await backend.status(of: reference)
    }

    public func verify(body: [UInt8], headers: [String: String], now: Date) -> VerifiedNotification? {
        guard TimestampedSignature.verify(body: body, header: headers[Self.signatureHeader], secret: secret, now: now),
            let notification = try? JSONDecoder().decode(NotificationBody.self, from: Data(body))
        else { return nil }
        return VerifiedNotification(checkoutReference: notification.checkout, eventReference: notification.event)
    }
}
