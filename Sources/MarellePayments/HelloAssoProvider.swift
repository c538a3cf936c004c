import Foundation

/// HelloAsso Checkout (API v5): a checkout intent per payment (`POST
/// /v5/organizations/{slug}/checkout-intents`, amounts in cents), read back with `GET
/// …/checkout-intents/{id}`, whose order and payments say whether the money came. HelloAsso
/// does not sign its notifications: one is only a cue to read the intent back, and the
/// intent's own answer is what counts. Tokens come from OAuth2 client credentials.
public struct HelloAssoProvider: PaymentProvider {
    public let kind = ProviderKind.helloasso
    let clientID: String
    let clientSecret: String
    let organization: String
    let baseURL: String
    let client: HTTPClient

    public init(
        clientID: String, clientSecret: String, organization: String, baseURL: String = "https://api.helloasso.com",
        client: HTTPClient = .init()
    ) {
        (self.clientID, self.clientSecret, self.organization, self.baseURL, self.client) = (
            clientID, clientSecret, organization, baseURL, client
        )
    }

    private struct Token: Decodable { let access_token: String }

    private struct Intent: Decodable {
        struct Order: Decodable {
            struct Amount: Decodable { let total: Int }
            struct Payment: Decodable {
                let id: Int?
                let amount: Int
                let state: String
            }
            let id: Int
            let amount: Amount?
            let payments: [Payment]?
        }
        let id: Int
        let redirectUrl: String?
        let order: Order?
    }

    private struct Notification: Decodable {
        struct Payload: Decodable { let checkoutIntentId: Int? }
        let eventType: String
        let data: Payload?
    }

    public func createCheckout(_ request: CheckoutRequest) async throws -> Checkout {
        let payload = CreateBody(
            totalAmount: request.amountCents, initialAmount: request.amountCents,
            itemName: String(request.description.prefix(250)),
            backUrl: request.cancelURL, errorUrl: request.cancelURL, returnUrl: request.returnURL, containsDonation: false,
            metadata: ["marellePayment": String(request.paymentID)])
        let intent: Intent = try await call(
            "POST", "/v5/organizations/\(FormEncoding.escape(organization))/checkout-intents",
            body: Array(try JSONEncoder().encode(payload)))
        guard let url = intent.redirectUrl else { throw ProviderFailure("HelloAsso gave no checkout URL") }
        return Checkout(reference: String(intent.id), redirectURL: url)
    }

    private struct CreateBody: Encodable {
        let totalAmount: Int
        let initialAmount: Int
        let itemName: String
        let backUrl: String
        let errorUrl: String
        let returnUrl: String
        let containsDonation: Bool
        let metadata: [String: String]
    }

    public func status(ofCheckout reference: String) async throws -> ProviderStatus {
        let intent: Intent = try await call(
            "GET", "/v5/organizations/\(FormEncoding.escape(organization))/checkout-intents/\(FormEncoding.escape(reference))",
            body: nil)
        guard let order = intent.order else {
            return ProviderStatus(state: .open, amountCents: 0, currency: "EUR", transactionReference: nil)
        }
        let payments = order.payments ?? []
        let authorized = payments.filter { ["Authorized", "Processed"].contains($0.state) }.map(\.amount).reduce(0, +)
        let total = order.amount?.total ?? authorized
        let state: ProviderStatus.State =
            if authorized > 0 && authorized >= total {
                .paid
            } else if !payments.isEmpty && payments.allSatisfy({ ["Refused", "Canceled", "Cancelled"].contains($0.state) }) {
                .failed
            } else {
                .open
            }
        return ProviderStatus(state: state, amountCents: total, currency: "EUR", transactionReference: "order \(order.id)")
    }

    /// A notification of an order made through a checkout intent: the intent to read back.
    /// Other events (a later payment, a refund) are acknowledged with nothing to read
    /// (`checkoutReference` empty): the reconciliation reads the intents back anyway.
    public func verify(body: [UInt8], headers: [String: String], now: Date) -> VerifiedNotification? {
        guard let notification = try? JSONDecoder().decode(Notification.self, from: Data(body)) else { return nil }
        guard notification.eventType == "Order", let intent = notification.data?.checkoutIntentId else {
            return VerifiedNotification(checkoutReference: "", eventReference: String(notification.eventType.prefix(50)))
        }
        return VerifiedNotification(checkoutReference: String(intent), eventReference: "order-intent-\(intent)")
    }

    private func token() async throws -> String {
        let response = try await client.send(
            HTTPClient.Request(
                method: "POST", url: baseURL + "/oauth2/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: FormEncoding.encode([
                    ("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", clientSecret),
                ])))
        guard (200..<300).contains(response.status), let token = try? JSONDecoder().decode(Token.self, from: Data(response.body))
        else { throw ProviderFailure("HelloAsso refused the credentials (\(response.status))") }
        return token.access_token
    }

    private func call<T: Decodable>(_ method: String, _ path: String, body: [UInt8]?) async throws -> T {
        let bearer = try await token()
        let response = try await client.send(
            HTTPClient.Request(
                method: method, url: baseURL + path,
                headers: [
                    ("Authorization", "Bearer " + bearer), ("Content-Type", "application/json"), ("Accept", "application/json"),
                ],
                body: body))
        guard (200..<300).contains(response.status) else { throw ProviderFailure("HelloAsso answered \(response.status)") }
        guard let value = try? JSONDecoder().decode(T.self, from: Data(response.body)) else {
            throw ProviderFailure("HelloAsso's answer is not a checkout intent")
        }
        return value
    }
}
