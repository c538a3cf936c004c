import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Booking for a family: the parents' rules, the same e-mail, deadlines passed by the direction only")
struct StaffBookingTests {
    static func lines(_ response: TestClient.Response) -> [[String: Any]] {
        response.jsonObject()?["lines"] as? [[String: Any]] ?? []
    }

    @Test("capacity and waiting list as for parents; past the deadline only with the direction's override, audited")
    func rules() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let (token, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 1, mode: "manual")
            let families = try await BookingFixtures.families(tenant, count: 2)
            let day = BookingFixtures.day(after: 14)
            let first = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/bookings", host: host,
                body: #"{"childId":\#(families[0].childID),"activityId":\#(activity),"days":["\#(day.iso)"]}"#, token: token)
            #expect(first.status == .created, "\(first.text)")
            #expect(Self.lines(first).first?["outcome"] as? String == "requested")
            let second = try await client.json(
                .post, "/api/v1/families/\(families[1].familyID)/bookings", host: host,
                body: #"{"childId":\#(families[1].childID),"activityId":\#(activity),"days":["\#(day.iso)"]}"#, token: token)
            #expect(Self.lines(second).first?["outcome"] as? String == "waiting")
            // The same date again: refused as for a parent.
            let again = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/bookings", host: host,
                body: #"{"childId":\#(families[0].childID),"activityId":\#(activity),"days":["\#(day.iso)"]}"#, token: token)
            #expect(Self.lines(again).first?["outcome"] as? String == "refused")
            // Past the deadline: refused, unless the direction passes it; an animateur may not.
            let past = AttendanceTests.pastMonday
            let late = #"{"childId":\#(families[0].childID),"activityId":\#(activity),"days":["\#(past.iso)"]"#
            let refused = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/bookings", host: host, body: late + "}", token: token)
            #expect(Self.lines(refused).first?["reason"] as? String == "Délai d'inscription dépassé")
            let animateur = try await AccountFixtures.account(in: tenant, role: .animateur)
            let animateurToken = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try ApiTokenStore().issue(tx, accountID: animateur.id).token
            }
            let notAllowed = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/bookings", host: host,
                body: late + #","overrideDeadlines":true}"#, token: animateurToken)
            #expect(notAllowed.status == .forbidden)
            let overridden = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/bookings", host: host,
                body: late + #","overrideDeadlines":true}"#, token: token)
            #expect(Self.lines(overridden).first?["outcome"] as? String == "requested", "\(overridden.text)")
            // Another family's child, another association's family, a parent: refused.
            let wrongChild = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/bookings", host: host,
                body: #"{"childId":\#(families[1].childID),"activityId":\#(activity),"days":["\#(day.iso)"]}"#, token: token)
            #expect(wrongChild.status == .unprocessableContent)
            let other = try await TestEnvironment.makeTenant()
            let (otherToken, _, _) = try await BookingFixtures.activity(client, other, capacity: 1)
            let foreign = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/bookings", host: "\(other.slug).localhost",
                body: #"{"childId":\#(families[0].childID),"activityId":\#(activity),"days":["\#(day.iso)"]}"#, token: otherToken)
            #expect(foreign.status == .notFound || foreign.status == .unprocessableContent)
            let parent = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/bookings", host: host,
                body: #"{"childId":\#(families[0].childID),"activityId":\#(activity),"days":["\#(day.iso)"]}"#,
                token: families[0].token)
            #expect(parent.status == .forbidden)
            let (override, mails, basket): (String, Int, Int) = try await TestEnvironment.runtime().database.withTenant(
                try tenant.scope()
            ) { tx in
                (
                    try tx.queryOne(
                        "SELECT detail->>'overrideDeadlines' AS o FROM audit_log WHERE action = 'bookings.staff' ORDER BY id DESC LIMIT 1"
                    ).decode("o"),
                    try tx.queryOne(
                        "SELECT count(*)::int AS n FROM outbox WHERE kind = 'request-received'"
                    ).decode("n"),
                    try tx.queryOne("SELECT count(*)::int AS n FROM basket_lines").decode("n")
                )
            }
            #expect(override == "true" && mails == 5 && basket == 0)
        }
    }

    @Test("the family page's form books each day of a range the activity runs; bad input is said on the page")
    func page() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let (_, activity, _) = try await BookingFixtures.activity(client, family.tenant, capacity: 5, mode: "automatic")
            let monday = BookingFixtures.day(after: 14)
            let (cookies, csrf) = try await PrivacyAndReviewTests.staff(client, family.tenant)
            let page = try await client.get("/gestion/familles/\(family.familyID)", host: family.host, cookies: cookies)
            #expect(page.text.contains("Réserver pour cette famille"))
            let booked = try await client.post(
                "/gestion/familles/\(family.familyID)/reservations", host: family.host,
                form: [
                    "_csrf": csrf, "enfant": String(family.childID), "activite": String(activity), "du": monday.iso,
                    "au": monday.adding(days: 6).iso,
                ], cookies: cookies)
            #expect(booked.status == .ok)
            // Monday to Friday, but a public holiday (Christmas week) does not run.
            let running = (0..<5).filter { !FrenchPublicHolidays.isHoliday(monday.adding(days: $0)) }.count
            #expect(booked.text.contains("\(running) date(s) : \(running) validée(s)"), "\(booked.text)")
            let mail = try #require(try await AccountFixtures.latestMail(family.tenant, to: family.account.email))
            #expect(mail.body.contains(monday.french))
            for (form, expected) in [
                (["enfant": "x", "activite": String(activity), "du": monday.iso], "Choisissez l'enfant"),
                (["enfant": String(family.childID), "activite": String(activity), "du": "demain"], "Indiquez la date"),
                (
                    [
                        "enfant": String(family.childID), "activite": String(activity), "du": monday.iso,
                        "au": monday.adding(days: -1).iso,
                    ],
                    "La dernière date"
                ),
                (
                    ["enfant": String(family.childID), "activite": String(activity), "du": monday.adding(days: 5).iso],
                    "aucune de ces dates"
                ),
            ] {
                let refused = try await client.post(
                    "/gestion/familles/\(family.familyID)/reservations", host: family.host,
                    form: form.merging(["_csrf": csrf]) { a, _ in a },
                    cookies: cookies)
                #expect(refused.status == .unprocessableContent, "\(form)")
                #expect(refused.text.contains(expected.replacingOccurrences(of: "'", with: "&#39;")), "\(form)")
            }
        }
    }
}
