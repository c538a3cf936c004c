import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarelleApp
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarellePayments
import MarelleStore
import MarelleTestSupport
import NIOCore
import Synchronization
import Testing

@Suite("HelloAsso: a checkout intent opened and read back from a local stand-in of its API; its notifications are only cues")
struct HelloAssoTests {
    /// A stand-in answering like HelloAsso's API v5 (the shapes of its documentation): OAuth2
    /// client credentials, a checkout intent, and the intent read back with its order once paid.
    final class Stand: Sendable {
        let paid = Mutex(false)
        let created = Mutex<[String: Any]>([:])

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.post("/oauth2/token") { request, _ -> Response in
                var request = request
                let form = String(buffer: try await request.collectBody(upTo: 4096))
                guard form.contains("client_id=marelle-client") && form.contains("client_secret=good-secret") else {
                    return Response(status: .unauthorized)
                }
                return Self.json(#"{"access_token":"tok-123","token_type":"bearer","expires_in":1800}"#)
            }
            router.post("/v5/organizations/les-petits-malins/checkout-intents") { request, _ -> Response in
                guard request.headers[.authorization] == "Bearer tok-123" else { return Response(status: .unauthorized) }
                var request = request
                let body = try await request.collectBody(upTo: 65536)
                self.created.withLock {
                    $0 = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
                }
                return Self.json(
                    #"{"id":12345,"redirectUrl":"https://www.helloasso-sandbox.com/associations/les-petits-malins/checkout/12345"}"#
                )
            }
            router.get("/v5/organizations/les-petits-malins/checkout-intents/12345") { request, _ -> Response in
                guard request.headers[.authorization] == "Bearer tok-123" else { return Response(status: .unauthorized) }
                if self.paid.withLock({ $0 }) {
                    return Self.json(
                        #"{"id":12345,"redirectUrl":"https://x","order":{"id":777,"amount":{"total":7055,"vat":0,"discount":0},"payments":[{"id":1,"amount":7055,"state":"Authorized"}]},"metadata":{"marellePayment":"1"}}"#
                    )
                }
                return Self.json(#"{"id":12345,"redirectUrl":"https://x","metadata":{"marellePayment":"1"}}"#)
            }
            return router
        }

        static func json(_ text: String) -> Response {
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }

    }

    static let orderEvent = Array(
        #"{"eventType":"Order","data":{"checkoutIntentId":12345,"id":777,"amount":{"total":7055}},"metadata":{"marellePayment":"1"}}"#
            .utf8)

    @Test("configure, start, an early and a paid notification, a duplicate: one payment, the balance settled")
    func endToEnd() async throws {
        let stand = Stand()
        try await ProviderStand.with(stand.router()) { setting in
            let (payments, tenant, families, staff) = (setting.payments, setting.tenant, setting.families, setting.staff)
            let runtime = try await TestEnvironment.runtime()
            await #expect(throws: OnlinePayments.Failure.self) {
                try await payments.configure(
                    tenant: tenant, staff: staff, provider: "helloasso", secretKey: "good-secret", webhookSecret: "",
                    clientID: "marelle-client", organization: "Les Petits Malins!", enabled: true, development: false, ip: nil)
            }
            try await payments.configure(
                tenant: tenant, staff: staff, provider: "helloasso", secretKey: "good-secret", webhookSecret: "",
                clientID: "marelle-client", organization: "les-petits-malins", enabled: true, development: false, ip: nil)
            let parent = try await BillingFixtures.parent(tenant, families[0])
            let started = try await payments.start(
                tenant: tenant, parent: parent, familyID: families[0].familyID, invoiceIDs: nil, origin: "https://asso.example")
            #expect(started.redirectURL.hasSuffix("/checkout/12345"))
            let sent = stand.created.withLock { $0 }
            #expect(sent["totalAmount"] as? Int == 7055 && sent["initialAmount"] as? Int == 7055)
            #expect(sent["returnUrl"] as? String == "https://asso.example/paiements/\(started.id)")
            // Early: HelloAsso says no order yet. A later Payment event: acknowledged, nothing read.
            #expect(
                try await payments.notify(tenant: tenant, kind: "helloasso", body: Self.orderEvent, headers: [:], remoteIP: nil)
                    == .accepted)
            #expect(try await payments.attempt(tenant: tenant, id: started.id, familyID: nil)?.state == .pending)
            let paymentEvent = Array(#"{"eventType":"Payment","data":{"id":1}}"#.utf8)
            #expect(
                try await payments.notify(tenant: tenant, kind: "helloasso", body: paymentEvent, headers: [:], remoteIP: nil)
                    == .accepted)
            #expect(
                try await payments.notify(
                    tenant: tenant, kind: "helloasso", body: Array("nope".utf8), headers: [:], remoteIP: nil) == .forged)
            stand.paid.withLock { $0 = true }
            #expect(
                try await payments.notify(tenant: tenant, kind: "helloasso", body: Self.orderEvent, headers: [:], remoteIP: nil)
                    == .accepted)
            #expect(
                try await payments.notify(tenant: tenant, kind: "helloasso", body: Self.orderEvent, headers: [:], remoteIP: nil)
                    == .accepted)
            let attempt = try #require(try await payments.attempt(tenant: tenant, id: started.id, familyID: nil))
            #expect(attempt.state == .paid && attempt.receiptNumber != nil)
            let account = try #require(try await runtime.useCases.billing.account(tenant: tenant, familyID: families[0].familyID))
            #expect(account.balanceCents == 0 && account.payments.filter { $0.method == .online }.count == 1)
        }
    }
}
