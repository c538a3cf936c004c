import Foundation

/// Stripe Checkout: a Checkout Session per payment (`POST /v1/checkout/sessions`, with our
/// payment's id as idempotency key), read back with `GET /v1/checkout/sessions/{id}`; webhooks
/// signed with `Stripe-Signature`. `baseURL` is Stripe's API, or a local stand-in in tests.
public struct StripeProvider: PaymentProvider {
    public let kind = ProviderKind.stripe
    let secretKey: String
    let webhookSecret: String
    let baseURL: String
    let client: HTTPClient

    public init(
        secretKey: String, webhookSecret: String, baseURL: String = "https://api.stripe.com", client: HTTPClient = .init()
    ) {
        (self.secretKey, self.webhookSecret, self.baseURL, self.client) = (secretKey, webhookSecret, baseURL, client)
    }

    private struct Session: Decodable {
        let id: String
        let url: String?
        let status: String?
        let payment_status: String?
        let amount_total: Int?
        let currency: String?
        let payment_intent: String?
    }

    private struct StripeError: Decodable {
        struct Detail: Decodable { let message: String? }
        let error: Detail
    }

    public func createCheckout(_ request: CheckoutRequest) async throws -> Checkout {
        var fields: [(String, String)] = [
            ("mode", "payment"), ("client_reference_id", String(request.paymentID)),
            ("success_url", request.returnURL), ("cancel_url", request.cancelURL),
            ("line_items[0][quantity]", "1"),
            ("line_items[0][price_data][currency]", request.currency.lowercased()),
            ("line_items[0][price_data][unit_amount]", String(request.amountCents)),
            ("line_items[0][price_data][product_data][name]", request.description),
            ("metadata[marelle_payment]", String(request.paymentID)),
        ]
        if let email = request.customerEmail { fields.append(("customer_email", email)) }
        let session = try await call(
            HTTPClient.Request(
                method: "POST", url: baseURL + "/v1/checkout/sessions",
                headers: [
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Idempotency-Key", "marelle-payment-\(request.paymentID)"),
                ], body: FormEncoding.encode(fields)))
        guard let url = session.url else { throw ProviderFailure("Stripe gave no checkout URL") }
        return Checkout(reference: session.id, redirectURL: url)
    }

    public func status(ofCheckout reference: String) async throws -> ProviderStatus {
        let session = try await call(
            HTTPClient.Request(method: "GET", url: baseURL + "/v1/checkout/sessions/" + FormEncoding.escape(reference)))
        let state: ProviderStatus.State =
            if session.payment_status == "paid" || session.payment_status == "no_payment_required" {
                .paid
            } else if session.status == "expired" {
                .expired
            } else {
                .open
            }
        return ProviderStatus(
            state: state, amountCents: session.amount_total ?? 0, currency: session.currency ?? "",
            transactionReference: session.payment_intent ?? session.id)
    }

    private struct Event: Decodable {
        struct Payload: Decodable {
            struct Object: Decodable {
                let id: String
                let object: String?
            }
            let object: Object
        }
        let id: String
        let type: String
        let data: Payload
    }

    public func verify(body: [UInt8], headers: [String: String], now: Date) -> VerifiedNotification? {
        guard TimestampedSignature.verify(body: body, header: headers["stripe-signature"], secret: webhookSecret, now: now),
            let event = try? JSONDecoder().decode(Event.self, from: Data(body)), event.type.hasPrefix("checkout.session.")
        else { return nil }
        return VerifiedNotification(checkoutReference: event.data.object.id, eventReference: event.id)
    }

    private func call(_ request: HTTPClient.Request) async throws -> Session {
        var request = request
        request.headers.append(("Authorization", "Bearer " + secretKey))
        let response = try await client.send(request)
        guard (200..<300).contains(response.status) else {
            let message = (try? JSONDecoder().decode(StripeError.self, from: Data(response.body)))?.error.message
            throw ProviderFailure("Stripe answered \(response.status): \(message ?? "")")
        }
        do {
            return try JSONDecoder().decode(Session.self, from: Data(response.body))
        } catch {
            throw ProviderFailure("Stripe's answer is not a checkout session")
        }
    }
}
