import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarellePayments
import NIOCore
import Synchronization
import Testing

@Suite("Stripe: webhook signatures (valid, wrong secret, expired), and Checkout Sessions through the HTTP client")
struct StripeProviderTests {
    static let secret = "whsec_test_secret_for_marelle"
    static let body = Array(
        #"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_test_1","object":"checkout.session"}}}"#
            .utf8)
    /// Computed apart from Marelle, with Python's hmac: HMAC-SHA256(secret, "1767225600." + body).
    static let vector = "1aafbb87f3e0310dc0413d0de9de7ab7d17ff8c99432495c3b0d8b008e4c8390"
    static let signedAt = Date(timeIntervalSince1970: 1_767_225_600)

    @Test("the reference vector holds; another secret, an old or future timestamp, a tampered body do not")
    func signatures() {
        let header = "t=1767225600,v1=\(Self.vector)"
        #expect(TimestampedSignature.header(body: Self.body, secret: Self.secret, timestamp: 1_767_225_600) == header)
        let provider = StripeProvider(secretKey: "sk_test_x", webhookSecret: Self.secret)
        let verified = provider.verify(
            body: Self.body, headers: ["stripe-signature": header], now: Self.signedAt.addingTimeInterval(60))
        #expect(verified == VerifiedNotification(checkoutReference: "cs_test_1", eventReference: "evt_1"))
        // Stripe may send several v1 (secret rolling): one matching is enough.
        #expect(
            provider.verify(
                body: Self.body,
                headers: ["stripe-signature": "t=1767225600,v1=\(String(repeating: "0", count: 64)),v1=\(Self.vector)"],
                now: Self.signedAt) != nil)
        let other = StripeProvider(secretKey: "sk_test_x", webhookSecret: "whsec_another")
        #expect(other.verify(body: Self.body, headers: ["stripe-signature": header], now: Self.signedAt) == nil)
        #expect(
            provider.verify(body: Self.body, headers: ["stripe-signature": header], now: Self.signedAt.addingTimeInterval(301))
                == nil)
        #expect(
            provider.verify(body: Self.body, headers: ["stripe-signature": header], now: Self.signedAt.addingTimeInterval(-301))
                == nil)
        var tampered = Self.body
        tampered[tampered.count - 5] = UInt8(ascii: "X")
        #expect(provider.verify(body: tampered, headers: ["stripe-signature": header], now: Self.signedAt) == nil)
        for junk in ["", "t=abc,v1=00", "v1=\(Self.vector)", "t=1767225600", "t=1767225600,v1=zz"] {
            #expect(provider.verify(body: Self.body, headers: ["stripe-signature": junk], now: Self.signedAt) == nil, "\(junk)")
        }
        #expect(provider.verify(body: Self.body, headers: [:], now: Self.signedAt) == nil)
    }

    /// A local stand-in answering like Stripe's API (the shapes of its documentation): sessions
    /// created with the form parameters, read back by id, a 401 without the key.
    @Test("a checkout session is created with the amount and read back paid; a wrong key and a 5xx surface as failures")
    func checkoutSessions() async throws {
        let created = Mutex<[String: String]>([:])
        let failures = Mutex(0)
        let router = Router()
        router.post("/v1/checkout/sessions") { request, _ -> Response in
            guard request.headers[.authorization] == "Bearer sk_test_good" else {
                return Response(
                    status: .unauthorized, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"message":"Invalid API Key provided"}}"#)))
            }
            var request = request
            let form = String(buffer: try await request.collectBody(upTo: 65536))
            var fields: [String: String] = [:]
            for pair in form.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                fields[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            fields["idempotency"] = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
            created.withLock { $0 = fields }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            #"{"id":"cs_test_42","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_42","status":"open","payment_status":"unpaid","amount_total":7055,"currency":"eur"}"#
                    )))
        }
        router.get("/v1/checkout/sessions/{id}") { request, context -> Response in
            if context.parameters.get("id") == "cs_flaky",
                failures.withLock({
                    $0 += 1; return $0
                }) < 2
            {
                return Response(status: .internalServerError)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            #"{"id":"\#(context.parameters.get("id") ?? "")","object":"checkout.session","status":"complete","payment_status":"paid","amount_total":7055,"currency":"eur","payment_intent":"pi_123"}"#
                    )))
        }
        let app = Application(router: router)
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let stripe = StripeProvider(secretKey: "sk_test_good", webhookSecret: Self.secret, baseURL: base)
            let checkout = try await stripe.createCheckout(
                CheckoutRequest(
                    paymentID: 42, amountCents: 7055, currency: "EUR", description: "Les Petits Malins : paiement n° 42",
                    customerEmail: "parent@exemple.fr", returnURL: "https://demo.example/paiements/42",
                    cancelURL: "https://demo.example/paiements/42?annule=1",
                    notifyURL: "https://demo.example/api/v1/webhooks/stripe"))
            #expect(checkout == Checkout(reference: "cs_test_42", redirectURL: "https://checkout.stripe.com/c/pay/cs_test_42"))
            let fields = created.withLock { $0 }
            #expect(
                fields["line_items[0][price_data][unit_amount]"] == "7055"
                    && fields["line_items[0][price_data][currency]"] == "eur")
            #expect(
                fields["mode"] == "payment" && fields["client_reference_id"] == "42"
                    && fields["idempotency"] == "marelle-payment-42")
            #expect(fields["line_items[0][price_data][product_data][name]"] == "Les Petits Malins : paiement n° 42")
            let status = try await stripe.status(ofCheckout: "cs_test_42")
            #expect(status == ProviderStatus(state: .paid, amountCents: 7055, currency: "EUR", transactionReference: "pi_123"))
            // A 500, then the answer: the client retries.
            #expect(try await stripe.status(ofCheckout: "cs_flaky").state == .paid)
            let wrongKey = StripeProvider(secretKey: "sk_test_bad", webhookSecret: Self.secret, baseURL: base)
            await #expect(throws: ProviderFailure.self) {
                _ = try await wrongKey.createCheckout(
                    CheckoutRequest(
                        paymentID: 43, amountCents: 100, currency: "EUR", description: "x", customerEmail: nil, returnURL: "r",
                        cancelURL: "c", notifyURL: "n"))
            }
            // Nobody listening: a network error after the retries, not a hang.
            var quick = HTTPClient()
            quick.attempts = 1
            let closed = StripeProvider(
                secretKey: "sk_test_good", webhookSecret: Self.secret, baseURL: "http://127.0.0.1:9", client: quick)
            await #expect(throws: (any Error).self) { _ = try await closed.status(ofCheckout: "cs_test_42") }
        }
    }
}
