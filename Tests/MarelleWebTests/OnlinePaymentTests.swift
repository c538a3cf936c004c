import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarellePayments
import MarelleStore
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Online payment: only the provider's server makes a payment; duplicates, late, early, wrong and forged notifications")
struct OnlinePaymentTests {
    /// A signed-in parent whose family owes 70,55 € (17 dates at 4,15 €), the fake provider set
    /// up by the direction; the direction's token.
    static func invoiced(_ client: WebClient) async throws -> (SignedInFamily, String, Int) {
        let family = try await SignedInFamily.make(client)
        let tenant = family.tenant
        let activity = try await BillingFixtures.activity(tenant)
        let ours = BookingFixtures.Family(familyID: family.familyID, childID: family.childID, accountID: 0, token: "")
        try await BillingFixtures.book(
            tenant, family: ours, activityID: activity,
            days: BillingFixtures.weekdays(of: Month(iso: "2027-02")!, count: 17), cents: 415)
        let token = try await ActivityAPITests().token(client, tenant, role: .direction)
        _ = try await client.json(.post, "/api/v1/invoicing-runs", host: family.host, body: #"{"month":"2027-02"}"#, token: token)
        let set = try await client.json(
            .put, "/api/v1/payment-provider", host: family.host, body: #"{"provider":"fake"}"#, token: token)
        #expect(set.status == .ok && set.jsonObject()?["provider"] as? String == "fake", "\(set.text)")
        #expect(!set.text.contains("fake_"), "the secret is never shown back")
        let invoice = try #require(
            try await client.json(.get, "/api/v1/families/\(family.familyID)/account", host: family.host, token: token)
                .jsonObject()?["invoices"] as? [[String: Any]])
        return (family, token, try #require(invoice.first?["id"] as? Int))
    }

    /// "Payer en ligne" for the whole balance through the API: the attempt and its fake checkout.
    static func started(_ client: WebClient, _ family: SignedInFamily, token: String) async throws -> (Int, String) {
        let started = try await client.json(.post, "/api/v1/family/online-payments", host: family.host, body: "{}", token: token)
        #expect(started.status == .created, "\(started.text)")
        let attempt = try #require(started.jsonObject()?["id"] as? Int)
        let checkoutID: String = try await family.inTenant { tx in
            try tx.queryOne("SELECT checkout_ref FROM online_payments WHERE id = \(attempt)").decode("checkout_ref")
        }
        return (attempt, checkoutID)
    }

    static func parentToken(_ family: SignedInFamily) async throws -> String {
        try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: family.account.id).token }
    }

    static func balance(_ client: WebClient, _ family: SignedInFamily, token: String) async throws -> Int? {
        try await client.json(.get, "/api/v1/family/account", host: family.host, token: token).jsonObject()?["balanceCents"]
            as? Int
    }

    static func payments(_ family: SignedInFamily) async throws -> Int {
        try await family.inTenant { tx in
            try tx.queryOne("SELECT count(*)::int AS n FROM payments WHERE method = 'online'").decode("n")
        }
    }

    @Test("a parent pays an invoice with the fake provider through the pages and sees it paid; the receipt is mailed")
    func pagesEndToEnd() async throws {
        try await WebTestServer.with { client in
            let (family, _, invoiceID) = try await Self.invoiced(client)
            let page = try await client.get("/mes-factures/\(invoiceID)", host: family.host, cookies: family.cookies)
            #expect(page.text.contains("Payer cette facture en ligne (70,55 €)"))
            // Without the form's token, nothing starts.
            let forged = try await client.post(
                "/mes-factures/payer", host: family.host, form: ["facture": "\(invoiceID)"], cookies: family.cookies)
            #expect(forged.status == .forbidden)
            let started = try await client.post(
                "/mes-factures/payer", host: family.host, form: ["facture": "\(invoiceID)", "_csrf": family.csrf],
                cookies: family.cookies)
            #expect(started.status == .seeOther)
            let location = try #require(started.headers[.location])
            let provider = try #require(URL(string: location))
            #expect(provider.path.hasPrefix("/_fake-pay/fk_"))
            let fake = try await client.get(provider.path, host: family.host, cookies: family.cookies)
            #expect(fake.status == .ok && fake.text.contains("70,55 €"))
            let paid = try await client.post(
                provider.path, host: family.host, form: ["action": "payer", "_csrf": family.csrf], cookies: family.cookies)
            let backLocation = try #require(paid.headers[.location])
            let back = try #require(URL(string: backLocation))
            #expect(back.path.hasPrefix("/paiements/"))
            let returned = try await client.get(back.path, host: family.host, cookies: family.cookies)
            #expect(returned.text.contains("Paiement reçu : 70,55 €"), "\(returned.text)")
            #expect(try await Self.balance(client, family, token: try await Self.parentToken(family)) == 0)
            let mails = try await AccountFixtures.mails(family.tenant, to: family.account.email, kind: "payment-received")
            #expect(mails.count == 1 && mails.first?.body.contains("70,55 €") == true)
            // Another family's return page is not found.
            let other = try await SignedInFamily.make(client, tenant: family.tenant, childFirstName: "Hugo")
            #expect(try await client.get(back.path, host: family.host, cookies: other.cookies).status == .notFound)
            // Paid: nothing left to pay online.
            let again = try await client.post(
                "/mes-factures/payer", host: family.host, form: ["_csrf": family.csrf], cookies: family.cookies)
            #expect(again.headers[.location] == "/mes-factures?paiement=rien")
        }
    }

    @Test("forged, early, duplicate and late notifications leave exactly one payment and the right balance")
    func notifications() async throws {
        try await WebTestServer.with { client in
            let (family, _, _) = try await Self.invoiced(client)
            let token = try await Self.parentToken(family)
            let started = try await client.json(
                .post, "/api/v1/family/online-payments", host: family.host, body: "{}", token: token)
            #expect(started.status == .created, "\(started.text)")
            let attempt = try #require(started.jsonObject()?["id"] as? Int)
            #expect(
                started.jsonObject()?["state"] as? String == "pending" && started.jsonObject()?["amountCents"] as? Int == 7055)
            let checkoutID: String = try await family.inTenant { tx in
                try tx.queryOne("SELECT checkout_ref FROM online_payments WHERE id = \(attempt)").decode("checkout_ref")
            }
            let books = try await TestEnvironment.runtime().onlinePayments.fakeBooks(tenant: family.tenant)
            func notify(signedAt: Date = Date(), secret: String? = nil) async throws -> TestClient.Response {
                let checkout = try #require(try await books.find(checkoutID))
                var (body, headers) = FakeProviderBooks.notification(for: checkout, event: "evt_\(UUID())", now: signedAt)
                if let secret {
                    headers[FakeProvider.signatureHeader] = TimestampedSignature.header(
                        body: body, secret: secret, timestamp: Int(signedAt.timeIntervalSince1970))
                }
                var fields: HTTPFields = [HTTPField.Name("Host")!: family.host, .contentType: "application/json"]
                for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
                return try await client.client.post("/api/v1/webhooks/fake", headers: fields, body: ByteBuffer(bytes: body))
            }
            // Forged: another secret, or a signature ten minutes old. Refused and logged.
            #expect(try await notify(secret: "fake_not_the_secret").status == .badRequest)
            #expect(try await notify(signedAt: Date().addingTimeInterval(-600)).status == .badRequest)
            let refusedLogged: Int = try await family.inTenant { tx in
                try tx.queryOne("SELECT count(*)::int AS n FROM payment_notifications WHERE NOT signature_valid").decode("n")
            }
            #expect(refusedLogged == 2)
            // Early: signed, but the provider says the checkout is still open. Nothing happens.
            #expect(try await notify().status == .ok)
            #expect(try await Self.payments(family) == 0)
            // The return page read back: still waiting.
            let waiting = try await client.json(
                .get, "/api/v1/family/online-payments/\(attempt)", host: family.host, token: token)
            #expect(waiting.jsonObject()?["state"] as? String == "pending")
            // The provider takes the money; the reconciliation expired the attempt meanwhile (late notification).
            try await family.inTenant { tx in
                _ = try FakeProviderStore().decide(tx, id: checkoutID, paid: true, transactionID: "fktx_late")
                try OnlinePaymentStore().markUnpaid(tx, id: attempt, state: .expired, failure: "test")
            }
            // The same notification delivered three times at once, then once more.
            async let a = notify()
            async let b = notify()
            async let c = notify()
            let answers = try await [a, b, c]
            #expect(answers.allSatisfy { $0.status == .ok })
            #expect(try await notify().status == .ok)
            #expect(try await Self.payments(family) == 1)
            #expect(try await Self.balance(client, family, token: token) == 0)
            let paid = try await client.json(.get, "/api/v1/family/online-payments/\(attempt)", host: family.host, token: token)
            #expect(paid.jsonObject()?["state"] as? String == "paid" && paid.jsonObject()?["receiptNumber"] is String)
            // A refusal notified after the payment changes nothing: paid is final.
            _ = try await family.inTenant { tx in
                try tx.execute("UPDATE fake_provider_checkouts SET state = 'failed' WHERE id = \(checkoutID)")
            }
            #expect(try await notify().status == .ok)
            let (count, left) = (try await Self.payments(family), try await Self.balance(client, family, token: token))
            #expect(count == 1 && left == 0)
            // Another family's attempt is not found.
            let other = try await SignedInFamily.make(client, tenant: family.tenant, childFirstName: "Hugo")
            #expect(
                try await client.json(
                    .get, "/api/v1/family/online-payments/\(attempt)", host: family.host, token: try await Self.parentToken(other)
                ).status == .notFound)
            // A provider nobody set up, and junk bodies, are refused without a 5xx.
            #expect(try await client.json(.post, "/api/v1/webhooks/stripe", host: family.host, body: "{}").status == .badRequest)
            #expect(try await client.json(.post, "/api/v1/webhooks/paypal", host: family.host, body: "{}").status == .notFound)
            #expect(
                try await client.json(.post, "/api/v1/webhooks/fake", host: family.host, body: "\u{0}x").status == .badRequest)
        }
    }

    @Test("a server killed while it answers notifications loses nothing and doubles nothing: the next delivery settles once")
    func killedServer() async throws {
        try await WebTestServer.with { client in
            let (family, _, _) = try await Self.invoiced(client)
            let token = try await Self.parentToken(family)
            let (_, checkoutID) = try await Self.started(client, family, token: token)
            try await family.inTenant { tx in
                _ = try FakeProviderStore().decide(tx, id: checkoutID, paid: true, transactionID: "fktx_crash")
            }
            let books = try await TestEnvironment.runtime().onlinePayments.fakeBooks(tenant: family.tenant)
            let checkout = try #require(try await books.find(checkoutID))
            @Sendable func delivery(_ to: WebClient) async throws -> TestClient.Response {
                let (body, headers) = FakeProviderBooks.notification(for: checkout, event: "evt_crash", now: Date())
                var fields: HTTPFields = [HTTPField.Name("Host")!: family.host, .contentType: "application/json"]
                for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
                return try await to.client.post("/api/v1/webhooks/fake", headers: fields, body: ByteBuffer(bytes: body))
            }
            // Another process takes six deliveries at once and is killed as soon as it has
            // answered one: the others are cut wherever they were.
            let other = try await ServerProcess.start()
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<6 { group.addTask { _ = try? await delivery(other.client) } }
                _ = await group.next()
                other.kill()
            }
            // The provider, left without answers, delivers again.
            #expect(try await delivery(client).status == .ok)
            let (count, left) = (try await Self.payments(family), try await Self.balance(client, family, token: token))
            #expect(count == 1 && left == 0)
            let allocated: Int = try await family.inTenant { tx in
                try tx.queryOne("SELECT coalesce(sum(amount_cents), 0)::int AS n FROM allocations").decode("n")
            }
            #expect(allocated == 7055)
        }
    }

    @Test("a provider that confirms another amount than asked makes no payment; the invoice stays open")
    func wrongAmount() async throws {
        try await WebTestServer.with { client in
            let (family, _, _) = try await Self.invoiced(client)
            let token = try await Self.parentToken(family)
            let (attempt, checkoutID) = try await Self.started(client, family, token: token)
            try await family.inTenant { tx in try FakeProviderStore().setAmount(tx, id: checkoutID, amountCents: 100) }
            let books = try await TestEnvironment.runtime().onlinePayments.fakeBooks(tenant: family.tenant)
            let next = try await books.decide(checkoutID, pay: true, payments: try await TestEnvironment.runtime().onlinePayments)
            #expect(next?.contains("/paiements/\(attempt)") == true)
            let after = try await client.json(.get, "/api/v1/family/online-payments/\(attempt)", host: family.host, token: token)
            #expect(after.jsonObject()?["state"] as? String == "failed")
            #expect((after.jsonObject()?["failure"] as? String)?.contains("amount mismatch") == true)
            let (count, left) = (try await Self.payments(family), try await Self.balance(client, family, token: token))
            #expect(count == 0 && left == 7055)
            // The direction sees why on the family's account; the parent sees it failed, not the detail.
            let staff = try await PrivacyAndReviewTests.staff(client, family.tenant)
            let desk = try await client.get(
                "/gestion/familles/\(family.familyID)/compte", host: family.host, cookies: staff.cookies)
            #expect(desk.text.contains("Paiements en ligne") && desk.text.contains("amount mismatch: 1,00 € EUR"))
            let mine = try await client.get("/mes-factures", host: family.host, cookies: family.cookies)
            #expect(mine.text.contains("échoué") && !mine.text.contains("amount mismatch"))
            // A refusal on the provider's page leaves the invoice open, and says so.
            let second = try await client.json(
                .post, "/api/v1/family/online-payments", host: family.host, body: "{}", token: token)
            let secondID = try #require(second.jsonObject()?["id"] as? Int)
            let ref: String = try await family.inTenant { tx in
                try tx.queryOne("SELECT checkout_ref FROM online_payments WHERE id = \(secondID)").decode("checkout_ref")
            }
            _ = try await books.decide(ref, pay: false, payments: try await TestEnvironment.runtime().onlinePayments)
            let refused = try await client.get("/paiements/\(secondID)?annule=1", host: family.host, cookies: family.cookies)
            #expect(refused.text.contains("Paiement annulé"))
            #expect(try await Self.balance(client, family, token: token) == 7055)
        }
    }

    @Test("provider settings: the direction only, secrets sealed and never shown, bad keys refused")
    func settings() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let token = try await ActivityAPITests().token(client, tenant, role: .direction)
            let bad = try await client.json(
                .put, "/api/v1/payment-provider", host: host,
                body: #"{"provider":"stripe","secretKey":"pk_live_123","webhookSecret":"nope"}"#, token: token)
            #expect(bad.status == .unprocessableContent && bad.text.contains("sk_") && bad.text.contains("whsec_"))
            let junk = try await client.json(
                .put, "/api/v1/payment-provider", host: host, body: #"{"provider":"paypal"}"#, token: token)
            #expect(junk.status == .unprocessableContent)
            let saved = try await client.json(
                .put, "/api/v1/payment-provider", host: host,
                body: #"{"provider":"stripe","secretKey":"sk_test_abcdefgh1234","webhookSecret":"whsec_zyxw9876"}"#, token: token)
            #expect(saved.status == .ok && saved.jsonObject()?["hint"] as? String == "…1234")
            #expect(!saved.text.contains("sk_test_abcdefgh") && !saved.text.contains("whsec_zyxw"))
            let sealed: String = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne("SELECT encode(credentials, 'escape') AS c FROM payment_provider_settings").decode("c")
            }
            #expect(!sealed.contains("sk_test_abcdefgh1234"), "sealed at rest")
            let parent = try #require(try await BookingFixtures.families(tenant, count: 1).first)
            #expect(try await client.json(.get, "/api/v1/payment-provider", host: host, token: parent.token).status == .forbidden)
            let staff = try await PrivacyAndReviewTests.staff(client, tenant)
            let page = try await client.get("/gestion/facturation/paiement-en-ligne", host: host, cookies: staff.cookies)
            #expect(page.status == .ok && page.text.contains("…1234") && !page.text.contains("sk_test_abcdefgh"))
        }
    }
}
