import Foundation
import HummingbirdTesting
import MarelleCore
import MarelleTestSupport
import Testing

@Suite("Billing in the API: the direction's run and desk, a parent's own invoices and account only")
struct BillingAPITests {
    @Test("run a month, re-run it, pay by hand, credit; parents see theirs only and may not pay or run")
    func api() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let families = try await BillingFixtures.february(tenant)
            let token = try await ActivityAPITests().token(client, tenant, role: .direction)
            for junk in ["2027-13", "", "x", "2027-02-01"] {
                let refused = try await client.json(
                    .post, "/api/v1/invoicing-runs", host: host, body: #"{"month":"\#(junk)"}"#, token: token)
                #expect(refused.status == .unprocessableContent, "\(junk)")
            }
            let preview = try await client.json(.get, "/api/v1/invoicing-runs/preview?month=2027-02", host: host, token: token)
            #expect(preview.jsonObject()?["totalCents"] as? Int == 7885)
            let run = try await client.json(
                .post, "/api/v1/invoicing-runs", host: host, body: #"{"month":"2027-02"}"#, token: token)
            #expect(run.status == .created && run.jsonObject()?["invoiceCount"] as? Int == 2)
            let again = try await client.json(
                .post, "/api/v1/invoicing-runs", host: host, body: #"{"month":"2027-02"}"#, token: token)
            #expect(again.status == .ok && again.jsonObject()?["invoiceCount"] as? Int == 0)

            // Each parent sees their own invoice; the other's id is not found.
            let mine = try await client.json(.get, "/api/v1/invoices", host: host, token: families[0].token)
            let list = try #require(mine.jsonArray())
            #expect(list.count == 1 && list.first?["totalCents"] as? Int == 7055)
            let ours = try #require(list.first?["id"] as? Int)
            let theirs = try #require(
                try await client.json(.get, "/api/v1/invoices", host: host, token: families[1].token).jsonArray()?.first?["id"]
                    as? Int)
            #expect(
                try await client.json(.get, "/api/v1/invoices/\(theirs)", host: host, token: families[0].token).status
                    == .notFound)
            let detail = try await client.json(.get, "/api/v1/invoices/\(ours)", host: host, token: families[0].token)
            #expect((detail.jsonObject()?["lines"] as? [Any])?.count == 17)
            // Parents neither run, nor pay at the desk, nor read another family's account.
            #expect(
                try await client.json(
                    .post, "/api/v1/invoicing-runs", host: host, body: #"{"month":"2027-02"}"#, token: families[0].token
                ).status == .forbidden)
            let pay = #"{"method":"cash","amountCents":1000}"#
            #expect(
                try await client.json(
                    .post, "/api/v1/families/\(families[0].familyID)/payments", host: host, body: pay, token: families[0].token
                ).status == .forbidden)
            #expect(
                try await client.json(
                    .get, "/api/v1/families/\(families[1].familyID)/account", host: host, token: families[0].token
                ).status == .forbidden)

            // The desk: 30 € split by hand on our invoice, refused on theirs.
            let wrong = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/payments", host: host,
                body: #"{"method":"transfer","amountCents":3000,"allocations":[{"invoiceId":\#(theirs),"amountCents":3000}]}"#,
                token: token)
            #expect(wrong.status == .unprocessableContent)
            let paid = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/payments", host: host,
                body: #"{"method":"transfer","amountCents":3000,"allocations":[{"invoiceId":\#(ours),"amountCents":2000}]}"#,
                token: token)
            #expect(paid.status == .created && paid.jsonObject()?["remainingCents"] as? Int == 1000)
            #expect(
                try await client.json(.post, "/api/v1/families/999999/payments", host: host, body: pay, token: token).status
                    == .notFound)
            let credit = try await client.json(
                .post, "/api/v1/invoices/\(ours)/credit-notes", host: host, body: #"{"amountCents":55,"reason":"Arrondi"}"#,
                token: token)
            #expect(credit.status == .created && credit.jsonObject()?["kind"] as? String == "credit_note")
            let account = try await client.json(.get, "/api/v1/family/account", host: host, token: families[0].token)
            // 70,55 € − 0,55 € credit note − 30 € paid.
            #expect(account.jsonObject()?["balanceCents"] as? Int == 4000)
        }
    }
}
