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

@Suite("PayFiP: one invoice per payment, the operation read back from a local stand-in of the Treasury's web service")
struct PayFiPTests {
    /// A stand-in answering like PayFiP's SOAP service (the shapes its integrators document):
    /// `creerPaiementSecurise` gives an idOp; `recupererDetailPaiementSecurise` gives nothing
    /// until the parent has paid, then `resultrans` P and the amount.
    final class Stand: Sendable {
        let result = Mutex<String?>(nil)
        let request = Mutex("")

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.post("/tpa/services/securite") { request, _ -> Response in
                var request = request
                let body = String(buffer: try await request.collectBody(upTo: 65536))
                if body.contains("creerPaiementSecurise") {
                    self.request.withLock { $0 = body }
                    return Self.soap(
                        "<ns:creerPaiementSecuriseResponse xmlns:ns=\"x\"><return><idOp>OP123456</idOp></return></ns:creerPaiementSecuriseResponse>"
                    )
                }
                guard body.contains("<idOp>OP123456</idOp>") else {
                    return Response(
                        status: .internalServerError, headers: [.contentType: "text/xml"],
                        body: .init(
                            byteBuffer: ByteBuffer(
                                string: "<S:Fault><detail><code>P1</code><libelle>IdOp incorrect</libelle></detail></S:Fault>")))
                }
                let result = self.result.withLock { $0 }
                let fields =
                    result.map { "<r:resultrans>\($0)</r:resultrans><r:montant>7055</r:montant><r:numauto>AUTO42</r:numauto>" }
                    ?? ""
                return Self.soap(
                    "<ns:recupererDetailPaiementSecuriseResponse xmlns:ns=\"x\"><return xmlns:r=\"y\"><r:idOp>OP123456</r:idOp>\(fields)</return></ns:recupererDetailPaiementSecuriseResponse>"
                )
            }
            return router
        }

        static func soap(_ body: String) -> Response {
            Response(
                status: .ok, headers: [.contentType: "text/xml; charset=utf-8"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            "<?xml version=\"1.0\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>\(body)</soapenv:Body></soapenv:Envelope>"
                    )))
        }
    }

    @Test("one invoice at a time; the operation opened with the invoice's reference; the idop notification read back once paid")
    func endToEnd() async throws {
        let stand = Stand()
        try await ProviderStand.with(stand.router()) { setting in
            let (payments, tenant, families, staff, numbers) = (
                setting.payments, setting.tenant, setting.families, setting.staff, setting.numbers
            )
            let runtime = try await TestEnvironment.runtime()
            for (number, mode) in [("12345", "W"), ("123456", "Q")] {
                await #expect(throws: OnlinePayments.Failure.self, "\(number) \(mode)") {
                    try await payments.configure(
                        tenant: tenant, staff: staff, provider: "payfip", secretKey: "", webhookSecret: "", clientID: number,
                        mode: mode, enabled: true, development: false, ip: nil)
                }
            }
            try await payments.configure(
                tenant: tenant, staff: staff, provider: "payfip", secretKey: "", webhookSecret: "", clientID: "123456", mode: "T",
                enabled: true, development: false, ip: nil)
            let parent = try await BillingFixtures.parent(tenant, families[0])
            let invoice = try #require(
                try await runtime.useCases.billing.account(tenant: tenant, familyID: families[0].familyID)?.open.first)
            let started = try await payments.start(
                tenant: tenant, parent: parent, familyID: families[0].familyID, invoiceIDs: [invoice.id],
                origin: "https://ville.example")
            #expect(started.redirectURL.hasSuffix("/tpa/paiementws.web?idop=OP123456"))
            let sent = stand.request.withLock { $0 }
            #expect(
                sent.contains("<numcli>123456</numcli>") && sent.contains("<montant>7055</montant>")
                    && sent.contains("<saisie>T</saisie>"))
            #expect(
                sent.contains("<refdet>\(PayFiPProvider.reference(ofInvoice: invoice.number))</refdet>")
                    && sent.contains("<exer>\(invoice.issuedOn.year)</exer>"))
            #expect(numbers.contains(invoice.number))
            // PayFiP posts the idop; before the parent has paid, the detail has no result.
            let notice = Array("idop=OP123456".utf8)
            #expect(
                try await payments.notify(tenant: tenant, kind: "payfip", body: notice, headers: [:], remoteIP: nil) == .accepted)
            #expect(try await payments.attempt(tenant: tenant, id: started.id, familyID: nil)?.state == .pending)
            #expect(
                try await payments.notify(
                    tenant: tenant, kind: "payfip", body: Array("idop=../../etc".utf8), headers: [:], remoteIP: nil) == .forged)
            stand.result.withLock { $0 = "P" }
            #expect(
                try await payments.notify(tenant: tenant, kind: "payfip", body: notice, headers: [:], remoteIP: nil) == .accepted)
            #expect(
                try await payments.notify(tenant: tenant, kind: "payfip", body: notice, headers: [:], remoteIP: nil) == .accepted)
            let attempt = try #require(try await payments.attempt(tenant: tenant, id: started.id, familyID: nil))
            #expect(attempt.state == .paid)
            let account = try #require(try await runtime.useCases.billing.account(tenant: tenant, familyID: families[0].familyID))
            #expect(account.balanceCents == 0 && account.payments.count == 1)
            #expect(account.payments.first?.reference.contains("AUTO42") == true)
        }
    }

    @Test("the whole balance at once is refused: PayFiP takes one invoice per payment")
    func oneInvoice() async throws {
        let runtime = try await TestEnvironment.runtime()
        let payments = OnlinePayments(
            database: runtime.database, mail: runtime.mail, box: try SecretBox(base64: TestEnvironment.paymentsKey),
            payFiPBaseURL: "http://127.0.0.1:9")
        let tenant = try await TestEnvironment.makeTenant()
        let (families, staff, _) = try await BillingFixtures.issuedFebruary(tenant)
        try await payments.configure(
            tenant: tenant, staff: staff, provider: "payfip", secretKey: "", webhookSecret: "", clientID: "123456", mode: "T",
            enabled: true, development: false, ip: nil)
        // A second invoice for the family: March's single date.
        try await BillingFixtures.book(
            tenant, family: families[0], activityID: try await BillingFixtures.activity(tenant, name: "Mercredi"),
            days: BillingFixtures.weekdays(of: Month(iso: "2027-03")!, count: 1), cents: 500)
        _ = try await runtime.useCases.billing.issue(
            tenant: tenant, actor: .account(staff), month: Month(iso: "2027-03")!, ip: nil)
        let parent = try await BillingFixtures.parent(tenant, families[0])
        await #expect(throws: OnlinePayments.Failure.oneInvoiceAtATime) {
            _ = try await payments.start(
                tenant: tenant, parent: parent, familyID: families[0].familyID, invoiceIDs: nil, origin: "https://v")
        }
    }
}
