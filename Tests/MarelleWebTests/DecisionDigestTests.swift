import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleStore
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Decision e-mails: one per family for the decisions of a few minutes")
struct DecisionDigestTests {
    @Test(
        "two clicks on one family's lines make one e-mail with both, sent after the delay; another family gets its own, in its language"
    )
    func digest() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let (token, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 5, mode: "manual")
            let families = try await BookingFixtures.families(tenant, count: 2)
            let days = [BookingFixtures.day(after: 14), BookingFixtures.day(after: 21)]
            var ids: [Int] = []
            for family in families {
                try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                    _ = try BasketStore().addBookings(
                        tx, familyID: family.familyID, lines: days.map { (family.childID, activity, $0) })
                }
                let sent = try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token)
                ids += ((sent.jsonObject()?["lines"] as? [[String: Any]]) ?? []).compactMap { $0["bookingId"] as? Int }
            }
            #expect(ids.count == 4)
            // Family 1's parent chose English: the director's French session does not decide the mail's language.
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try AccountStore().setLanguage(tx, id: families[1].accountID, language: .en)
            }
            // Family 0: one line validated, then the other refused, in two requests.
            for (id, decision) in [
                (ids[0], #""decision":"validate""#), (ids[1], #""decision":"refuse","reason":"Sortie annulée""#),
            ] {
                let answer = try await client.json(
                    .post, "/api/v1/queue/decisions", host: host, body: #"{"bookingIds":[\#(id)],\#(decision)}"#, token: token)
                #expect(answer.status == .ok, "\(answer.text)")
            }
            let answer = try await client.json(
                .post, "/api/v1/queue/decisions", host: host, body: #"{"bookingIds":[\#(ids[2])],"decision":"validate"}"#,
                token: token)
            #expect(answer.status == .ok)
            let accounts = families.map(\.accountID)
            let mails: [(to: String, body: String, wait: Int)] = try await TestEnvironment.runtime().database.withTenant(
                try tenant.scope()
            ) { tx in
                try tx.query(
                    """
                    SELECT o.to_address, o.body_text, extract(epoch FROM o.next_attempt_at - now())::int AS wait
                    FROM outbox o JOIN accounts a ON a.email = o.to_address
                    WHERE o.kind = 'decisions' AND a.id = ANY(\(accounts)) ORDER BY a.id
                    """
                ).map { (try $0.decode("to_address"), try $0.decode("body_text"), try $0.decode("wait")) }
            }
            #expect(mails.count == 2)
            let first = try #require(mails.first)
            #expect(first.body.contains("\(days[0].french) · MATIN") && first.body.contains("validée"))
            #expect(first.body.contains("\(days[1].french) · MATIN") && first.body.contains("refusée (Sortie annulée)"))
            // Sent once the delay after the first decision has passed (default five minutes).
            #expect((250...300).contains(first.wait))
            let english = try #require(mails.last)
            #expect(english.body.hasPrefix("Hello,") && english.body.contains(": validated"), "\(english.body)")
            #expect(!english.body.contains("validée") && !english.body.contains("refused"))
        }
    }
}
