import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Listes d'attente: in order, a place offered by hand, a line removed, the families told")
struct WaitingListTests {
    @Test("the lines in submission order; the direction offers the second a place and removes the first")
    func handPromotion() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let (token, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 1, mode: "manual")
            let families = try await BookingFixtures.families(tenant, count: 3)
            let day = BookingFixtures.day(after: 14)
            var bookings: [Int] = []
            for family in families {
                try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                    _ = try BasketStore().addBookings(tx, familyID: family.familyID, lines: [(family.childID, activity, day)])
                }
                let sent = try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token)
                bookings.append(try #require((sent.jsonObject()?["lines"] as? [[String: Any]])?.first?["bookingId"] as? Int))
            }
            let list = try await client.json(.get, "/api/v1/waiting-list?activity=\(activity)", host: host, token: token)
            #expect(list.status == .ok, "\(list.text)")
            let lines = try #require(
                (try? JSONSerialization.jsonObject(with: Data((list.body ?? ByteBuffer()).readableBytesView))) as? [[String: Any]]
            )
            #expect(lines.compactMap { $0["id"] as? Int } == [bookings[1], bookings[2]])
            #expect(lines.compactMap { $0["position"] as? Int } == [1, 2])
            #expect(lines.first?["requestedAt"] is String && lines.first?["capacity"] as? Int == 1)
            // Parents and animateurs: refused; a bad filter: 422.
            let parent = try await client.json(.get, "/api/v1/waiting-list", host: host, token: families[0].token)
            #expect(parent.status == .forbidden)
            let badFilter = try await client.json(.get, "/api/v1/waiting-list?day=32/01", host: host, token: token)
            #expect(badFilter.status == .unprocessableContent)
            let (animateur, animateurCSRF) = try await PrivacyAndReviewTests.staff(client, tenant, role: .animateur)
            let refused = try await client.post(
                "/gestion/attente/\(bookings[2])/place", host: host, form: ["_csrf": animateurCSRF], cookies: animateur)
            #expect(refused.status == .forbidden)
            // The direction's page: the second line gets a place by hand.
            let (cookies, csrf) = try await PrivacyAndReviewTests.staff(client, tenant)
            let page = try await client.get("/gestion/attente", host: host, cookies: cookies)
            #expect(page.text.contains("Attribuer une place") && page.text.contains("1 place(s) prise(s) sur 1"))
            let offered = try await client.post(
                "/gestion/attente/\(bookings[2])/place", host: host, form: ["_csrf": csrf], cookies: cookies)
            #expect(offered.status == .ok && offered.text.contains("Place attribuée"))
            let again = try await client.post(
                "/gestion/attente/\(bookings[2])/place", host: host, form: ["_csrf": csrf], cookies: cookies)
            #expect(again.status == .conflict)
            let tooLong = try await client.post(
                "/gestion/attente/\(bookings[1])/retrait", host: host,
                form: ["_csrf": csrf, "motif": String(repeating: "x", count: 501)], cookies: cookies)
            #expect(tooLong.status == .unprocessableContent)
            let removed = try await client.json(
                .post, "/api/v1/waiting-list/\(bookings[1])/removal", host: host,
                body: #"{"reason":"Doublon avec le centre voisin"}"#,
                token: token)
            #expect(removed.status == .noContent, "\(removed.text)")
            let gone = try await client.json(.post, "/api/v1/waiting-list/\(bookings[1])/offer", host: host, token: token)
            #expect(gone.status == .notFound)
            let ids = bookings
            let (statuses, held, emails): ([String], Int, [String]) = try await TestEnvironment.runtime().database.withTenant(
                try tenant.scope()
            ) { tx in
                (
                    try tx.query("SELECT status FROM bookings WHERE id = ANY(\(ids)) ORDER BY id").map {
                        try $0.decode("status")
                    },
                    try tx.queryOne("SELECT held FROM activity_days WHERE activity_id = \(activity) AND day = \(day)").decode(
                        "held"),
                    try tx.query(
                        "SELECT email FROM accounts WHERE id = ANY(\(families.map(\.accountID))) ORDER BY id"
                    ).map { try $0.decode("email") }
                )
            }
            #expect(statuses == ["requested", "refused", "validated"])
            #expect(held == 2)
            let promotedMail = try #require(try await AccountFixtures.latestMail(tenant, to: emails[2]))
            #expect(promotedMail.body.contains("une place s'est libérée"))
            let removedMail = try #require(try await AccountFixtures.latestMail(tenant, to: emails[1]))
            #expect(removedMail.body.contains("retirée de la liste d'attente : Doublon avec le centre voisin"))
        }
    }
}
