import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Booking rules: deadlines, levels, ownership, overlaps, frozen prices, cancellations")
struct BookingRulesTests {
    @Test("lines past the deadline, not allowed, duplicated or overlapping are refused one by one; the rest goes through")
    func refusals() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (token, open, periodID) = try await BookingFixtures.activity(client, tenant, capacity: 5, name: "MATIN")
            let (_, cm2Only, _) = try await BookingFixtures.activity(
                client, tenant, capacity: 5, levels: #"["CM2"]"#, name: "CM2 SEULEMENT",
                in: (token, periodID))
            let (_, overlapping, _) = try await BookingFixtures.activity(
                client, tenant, capacity: 5, starts: "08:00", ends: "09:00", name: "CHEVAUCHE",
                in: (token, periodID))
            let family = try #require(try await BookingFixtures.families(tenant, count: 1).first)
            let future = BookingFixtures.day(after: 14), past = BookingFixtures.day(after: -7)
            for (activity, days) in [(open, [future.iso, past.iso]), (cm2Only, [future.iso]), (overlapping, [future.iso])] {
                let added = try await client.json(
                    .post, "/api/v1/basket/lines", host: host,
                    body: #"{"childId":\#(family.childID),"activityId":\#(activity),"days":\#(days)}"#, token: family.token)
                #expect(added.status == .created)
            }
            let submitted = try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token)
            #expect(submitted.status == .created)
            let lines = try #require(submitted.jsonObject()?["lines"] as? [[String: Any]])
            func outcome(_ activity: Int, _ day: LocalDate) -> (String?, String?) {
                let line = lines.first { $0["activityId"] as? Int == activity && $0["day"] as? String == day.iso }
                return (line?["outcome"] as? String, line?["reason"] as? String)
            }
            #expect(outcome(open, future).0 == "requested")
            #expect(outcome(open, past) == ("refused", "Délai d'inscription dépassé"))
            #expect(outcome(cm2Only, future) == ("refused", "Non accessible pour cet enfant"))
            #expect(
                outcome(overlapping, future).0 == "refused" && outcome(overlapping, future).1?.contains("Même horaire") == true)
            // The same date again: already booked.
            _ = try await client.json(
                .post, "/api/v1/basket/lines", host: host,
                body: #"{"childId":\#(family.childID),"activityId":\#(open),"days":["\#(future.iso)"]}"#, token: family.token)
            let again = try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token)
            #expect(
                (again.jsonObject()?["lines"] as? [[String: Any]])?.first?["reason"] as? String == "Déjà réservé pour cet enfant."
            )
            let mail = try #require(
                try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                    try OutboxStore().latest(tx).first { $0.subject.contains("demande reçue") && $0.body.contains("(n° 1)") }
                })
            #expect(
                mail.body.contains("refusée : Délai d'inscription dépassé")
                    && mail.body.contains("demandée : l'équipe va la valider"))
        }
    }

    @Test("another family's child, an unknown activity or a bad date change nothing")
    func foreign() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (_, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 5)
            let families = try await BookingFixtures.families(tenant, count: 2)
            let day = BookingFixtures.day(after: 14).iso
            #expect(
                try await client.json(
                    .post, "/api/v1/basket/lines", host: host,
                    body: #"{"childId":\#(families[1].childID),"activityId":\#(activity),"days":["\#(day)"]}"#,
                    token: families[0].token
                ).status == .notFound)
            #expect(
                try await client.json(
                    .post, "/api/v1/basket/lines", host: host,
                    body: #"{"childId":\#(families[0].childID),"activityId":999999,"days":["\#(day)"]}"#, token: families[0].token
                ).status == .notFound)
            #expect(
                try await client.json(
                    .post, "/api/v1/basket/lines", host: host,
                    body: #"{"childId":\#(families[0].childID),"activityId":\#(activity),"days":["31/02/2027"]}"#,
                    token: families[0].token
                ).status == .unprocessableContent)
            let basket = try await client.json(.get, "/api/v1/basket", host: host, token: families[0].token)
            #expect((basket.jsonObject()?["lines"] as? [Any])?.isEmpty == true)
            // Another tenant's activity does not exist here either.
            let other = try await TestEnvironment.makeTenant()
            let (_, theirs, _) = try await BookingFixtures.activity(client, other, capacity: 5, name: "AILLEURS")
            if theirs != activity {
                let response = try await client.json(
                    .post, "/api/v1/basket/lines", host: host,
                    body: #"{"childId":\#(families[0].childID),"activityId":\#(theirs + 1000),"days":["\#(day)"]}"#,
                    token: families[0].token)
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a submission can carry its dates (one request); a foreign child, a bad date or a bad body refuses it whole")
    func oneRequest() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (_, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 5)
            let families = try await BookingFixtures.families(tenant, count: 2)
            let (first, second) = (BookingFixtures.day(after: 14).iso, BookingFixtures.day(after: 21).iso)
            func submit(_ body: String) async throws -> TestClient.Response {
                try await client.json(.post, "/api/v1/basket/submit", host: host, body: body, token: families[0].token)
            }
            let mixed =
                #"{"lines":[{"childId":\#(families[0].childID),"activityId":\#(activity),"days":["\#(first)"]},{"childId":\#(families[1].childID),"activityId":\#(activity),"days":["\#(first)"]}]}"#
            #expect(try await submit(mixed).status == .notFound)
            #expect(
                try await submit(#"{"lines":[{"childId":\#(families[0].childID),"activityId":\#(activity),"days":["demain"]}]}"#)
                    .status == .unprocessableContent)
            #expect(try await submit("pas du JSON").status == .badRequest)
            for bad in ["", String(repeating: "k", count: 201), "clé accentuée"] {
                let refused = try await client.client.post(
                    "/api/v1/basket/submit",
                    headers: [
                        HTTPField.Name("Host")!: host, .authorization: "Bearer \(families[0].token)",
                        .contentType: "application/json",
                        HTTPField.Name("Idempotency-Key")!: bad,
                    ],
                    body: ByteBuffer(string: "{}"))
                #expect(refused.status == .badRequest, "key \(bad.prefix(10))")
            }
            let untouched: Int = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne(
                    "SELECT (SELECT count(*) FROM submissions) + (SELECT count(*) FROM basket_lines) + (SELECT count(*) FROM bookings) AS n"
                ).decode("n")
            }
            #expect(untouched == 0)
            let done = try await submit(
                #"{"lines":[{"childId":\#(families[0].childID),"activityId":\#(activity),"days":["\#(first)","\#(second)"]}]}"#)
            #expect(done.status == .created)
            let outcomes = (done.jsonObject()?["lines"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String }
            #expect(outcomes == ["requested", "requested"])
            let basket = try await client.json(.get, "/api/v1/basket", host: host, token: families[0].token)
            #expect((basket.jsonObject()?["lines"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("the price frozen on a line survives a price change; a validated date cancelled frees its place")
    func frozenPriceAndCancellation() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (staffToken, activity, periodID) = try await BookingFixtures.activity(
                client, tenant, capacity: 1, mode: "automatic")
            let families = try await BookingFixtures.families(tenant, count: 2)
            let day = BookingFixtures.day(after: 14)
            for family in families {
                _ = try await client.json(
                    .post, "/api/v1/basket/lines", host: host,
                    body: #"{"childId":\#(family.childID),"activityId":\#(activity),"days":["\#(day.iso)"]}"#, token: family.token
                )
                #expect(
                    try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token).status
                        == .created)
            }
            // A new price now: the lines keep theirs.
            let body =
                #"{"name":"MATIN","startsAt":"07:30","endsAt":"08:30","levels":[],"capacity":1,"weekdays":[1,2,3,4,5],"validationMode":"automatic","bookingDeadline":{"daysBefore":1,"time":"10:00"},"cancellationDeadline":{"daysBefore":1,"time":"10:00"},"periodIds":[\#(periodID)],"price":{"flatCents":250}}"#
            #expect(
                try await client.json(.put, "/api/v1/activities/\(activity)", host: host, body: body, token: staffToken).status
                    == .ok)
            let mine = try await client.json(.get, "/api/v1/bookings", host: host, token: families[0].token)
            let booking = try #require((try JSONSerialization.jsonObject(with: Data(mine.text.utf8)) as? [[String: Any]])?.first)
            #expect(booking["status"] as? String == "validated" && booking["priceCents"] as? Int == 185)
            // The first family cancels (automatic mode: at once); the second, waiting, gets the place.
            let bookingID = try #require(booking["id"] as? Int)
            #expect(
                try await client.json(
                    .post, "/api/v1/basket/cancellations", host: host, body: #"{"bookingIds":[\#(bookingID)]}"#,
                    token: families[0].token
                ).status == .created)
            #expect(
                try await client.json(
                    .post, "/api/v1/basket/cancellations", host: host, body: #"{"bookingIds":[\#(bookingID)]}"#,
                    token: families[1].token
                ).status == .unprocessableContent)
            let cancelled = try await client.json(
                .post, "/api/v1/basket/submit", host: host, body: "{}", token: families[0].token)
            #expect((cancelled.jsonObject()?["lines"] as? [[String: Any]])?.first?["outcome"] as? String == "cancelled")
            let theirs = try await client.json(.get, "/api/v1/bookings", host: host, token: families[1].token)
            let promoted = try #require(
                (try JSONSerialization.jsonObject(with: Data(theirs.text.utf8)) as? [[String: Any]])?.first)
            #expect(promoted["status"] as? String == "validated" && promoted["priceCents"] as? Int == 185)
            let told = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try OutboxStore().latest(tx).contains { $0.body.contains("votre demande sur liste d'attente est validée") }
            }
            #expect(told)
            let invariant = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try BookingDecisions().invariant(tx, activityID: activity, day: day)
            }
            #expect(invariant.held == 1 && invariant.holding == 1)
        }
    }

    @Test("raising the capacity gives the new places to the waiting list, first in first out")
    func capacityIncrease() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (staffToken, activity, periodID) = try await BookingFixtures.activity(client, tenant, capacity: 1)
            let families = try await BookingFixtures.families(tenant, count: 4)
            let day = BookingFixtures.day(after: 14)
            for family in families {
                _ = try await client.json(
                    .post, "/api/v1/basket/lines", host: host,
                    body: #"{"childId":\#(family.childID),"activityId":\#(activity),"days":["\#(day.iso)"]}"#, token: family.token
                )
                #expect(
                    try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token).status
                        == .created)
            }
            let body =
                #"{"name":"MATIN","startsAt":"07:30","endsAt":"08:30","levels":[],"capacity":3,"weekdays":[1,2,3,4,5],"validationMode":"manual","bookingDeadline":{"daysBefore":1,"time":"10:00"},"cancellationDeadline":{"daysBefore":1,"time":"10:00"},"periodIds":[\#(periodID)]}"#
            #expect(
                try await client.json(.put, "/api/v1/activities/\(activity)", host: host, body: body, token: staffToken).status
                    == .ok)
            let statuses: [String] = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.query("SELECT status FROM bookings WHERE activity_id = \(activity) ORDER BY requested_at, id").map {
                    try $0.decode("status")
                }
            }
            #expect(statuses == ["requested", "requested", "requested", "waiting"])
            let invariant = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try BookingDecisions().invariant(tx, activityID: activity, day: day)
            }
            #expect(invariant.held == 3 && invariant.holding == 3)
        }
    }
}
