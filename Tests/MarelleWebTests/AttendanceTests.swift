import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Présences: the day's list, the tablet's ticks, the unexpected child")
struct AttendanceTests {
    /// A Monday between 13 and 7 days ago: in the fixtures' period, and past, so that a tick
    /// at 07:45 that day is not ahead of now.
    static let pastMonday = BookingFixtures.day(after: -13)

    /// Booking rows written as the submission would leave them (a date in the past cannot be
    /// booked through the basket), with the day's counter to match.
    static func book(
        _ tenant: Tenant, _ family: BookingFixtures.Family, activity: Int, day: LocalDate, status: String
    ) async throws -> Int {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            let holds = ["requested", "validated", "cancel_requested"].contains(status)
            try tx.execute(
                """
                INSERT INTO activity_days (activity_id, day, held) VALUES (\(activity), \(day), \(holds ? 1 : 0))
                ON CONFLICT (activity_id, day) DO UPDATE SET held = activity_days.held + \(holds ? 1 : 0)
                """)
            return try tx.queryOne(
                """
                INSERT INTO bookings (family_id, child_id, activity_id, day, status, price_cents)
                VALUES (\(family.familyID), \(family.childID), \(activity), \(day), \(status), 185) RETURNING id
                """
            ).decode("id")
        }
    }

    @Test(
        "expected = validated bookings minus declared absences; cancellations, waiting lines, refusals and a closed day are not")
    func expectedChildren() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let (token, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 10, mode: "automatic")
            let families = try await BookingFixtures.families(tenant, count: 7)
            let day = Self.pastMonday
            let closedDay = day.adding(days: 1)
            let statuses = ["validated", "validated", "cancelled", "waiting", "cancel_requested", "refused", "requested"]
            var bookings: [Int] = []
            for (family, status) in zip(families, statuses) {
                bookings.append(try await Self.book(tenant, family, activity: activity, day: day, status: status))
            }
            _ = try await Self.book(tenant, families[0], activity: activity, day: closedDay, status: "validated")
            let absentBooking = bookings[1]
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.execute(
                    """
                    INSERT INTO absences (booking_id, family_id, reason)
                    VALUES (\(absentBooking), \(families[1].familyID), 'Malade')
                    """)
                try tx.execute(
                    "INSERT INTO closures (activity_id, first_day, last_day, reason) VALUES (NULL, \(closedDay), \(closedDay), 'Travaux')"
                )
                try tx.execute(
                    "UPDATE children SET allergies = 'arachide', has_pai = true WHERE id = \(families[0].childID)")
                try tx.execute(
                    "INSERT INTO pickup_persons (child_id, name, phone, relationship) VALUES (\(families[0].childID), 'Mamie Jo', '0611223344', 'grand-mère')"
                )
            }
            let answer = try await client.json(
                .get, "/api/v1/attendance?day=\(day.iso)&activity=\(activity)", host: host, token: token)
            #expect(answer.status == .ok, "\(answer.text)")
            let sheet = try #require((answer.jsonObject()?["activities"] as? [[String: Any]])?.first)
            let expected = try #require(sheet["expected"] as? [[String: Any]])
            let absent = try #require(sheet["absent"] as? [[String: Any]])
            // Families 0 (validated) and 4 (cancellation not yet decided); 1 declared absent.
            #expect(Set(expected.compactMap { $0["bookingId"] as? Int }) == [bookings[0], bookings[4]])
            #expect(absent.compactMap { $0["bookingId"] as? Int } == [bookings[1]])
            #expect(absent.first?["absenceReason"] as? String == "Malade")
            let first = try #require(expected.first { $0["bookingId"] as? Int == bookings[0] })
            #expect(first["allergies"] as? String == "arachide" && first["hasPai"] as? Bool == true)
            #expect((first["pickupPersons"] as? [[String: Any]])?.first?["phone"] as? String == "0611223344")
            // The closed day: nobody is expected, though a booking was made before the closure.
            let closed = try await client.json(
                .get, "/api/v1/attendance?day=\(closedDay.iso)&activity=\(activity)", host: host, token: token)
            let closedSheet = try #require((closed.jsonObject()?["activities"] as? [[String: Any]])?.first)
            #expect(closedSheet["runs"] as? Bool == false)
            #expect((closedSheet["expected"] as? [Any])?.isEmpty == true)
            // The page shows the same, with the allergy and the PAI; parents are refused.
            let (cookies, _) = try await PrivacyAndReviewTests.staff(client, tenant, role: .animateur)
            let page = try await client.get(
                "/gestion/presences?jour=\(day.iso)&activite=\(activity)", host: host, cookies: cookies)
            #expect(page.status == .ok)
            #expect(page.text.contains("Allergies : arachide") && page.text.contains("PAI") && page.text.contains("Mamie Jo"))
            #expect(page.text.contains("2 enfant(s) attendu(s)") && page.text.contains("Malade"))
            let printed = try await client.get(
                "/gestion/presences?jour=\(day.iso)&activite=\(activity)&impression=1", host: host, cookies: cookies)
            #expect(printed.text.contains("Signature") && !printed.text.contains("name=\"action\""))
            let parent = try await client.json(.get, "/api/v1/attendance?day=\(day.iso)", host: host, token: families[0].token)
            #expect(parent.status == .forbidden)
            for bad in ["day=2026-02-30", "day=demain", "activity=abc"] {
                let refused = try await client.json(.get, "/api/v1/attendance?\(bad)", host: host, token: token)
                #expect(refused.status == .unprocessableContent, "\(bad)")
            }
            let unknown = try await client.json(.get, "/api/v1/attendance?activity=999999", host: host, token: token)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("ticks: arrival and departure with who took the child; bad ticks change nothing; two tablets keep one record")
    func ticks() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let (token, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 10, mode: "automatic")
            let families = try await BookingFixtures.families(tenant, count: 3)
            let day = Self.pastMonday
            let booking = try await Self.book(tenant, families[0], activity: activity, day: day, status: "validated")
            let waiting = try await Self.book(tenant, families[1], activity: activity, day: day, status: "waiting")
            let staff = try await AccountFixtures.account(in: tenant, role: .animateur)
            let staffToken = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try ApiTokenStore().issue(tx, accountID: staff.id).token
            }
            // Two tablets tick the arrival at once: one record.
            async let one = client.json(
                .post, "/api/v1/attendance/\(booking)", host: host, body: #"{"arrivedAt":"07:35"}"#, token: staffToken)
            async let two = client.json(
                .post, "/api/v1/attendance/\(booking)", host: host, body: #"{"arrivedAt":"07:40"}"#, token: token)
            let (a, b) = try await (one, two)
            #expect(a.status == .ok && b.status == .ok, "\(a.text) \(b.text)")
            let records: Int = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne("SELECT count(*)::int AS n FROM attendance WHERE booking_id = \(booking)").decode("n")
            }
            #expect(records == 1)
            let bad: [(String, String)] = [
                (#"{"arrivedAt":"25:00"}"#, "arrivedAt"),
                (#"{"leftAt":"07:00","pickedUpBy":"Mamie"}"#, "leftAt"),
                (#"{"leftAt":"17:00"}"#, "pickedUpBy"),
                (#"{"leftAt":"17:00","pickedUpBy":"\#(String(repeating: "x", count: 201))"}"#, "pickedUpBy"),
                (#"{"arrivedAt":"2020-01-01T08:00:00Z"}"#, "arrivedAt"),
                (#"{"noShow":true,"arrivedAt":"07:35"}"#, "noShow"),
            ]
            for (body, field) in bad {
                let refused = try await client.json(.post, "/api/v1/attendance/\(booking)", host: host, body: body, token: token)
                #expect(refused.status == .unprocessableContent, "\(body): \(refused.text)")
                #expect(
                    (refused.jsonObject()?["errors"] as? [[String: Any]])?.contains { $0["field"] as? String == field } == true,
                    "\(body): \(refused.text)")
            }
            let left = try await client.json(
                .post, "/api/v1/attendance/\(booking)", host: host, body: #"{"leftAt":"17:10","pickedUpBy":"Mamie Jo"}"#,
                token: token)
            #expect(left.status == .ok)
            #expect(left.jsonObject()?["pickedUpBy"] as? String == "Mamie Jo")
            let leftAt = try #require(left.jsonObject()?["leftAt"] as? String)
            #expect(ParisClock.time(of: try #require(ISO8601DateFormatter().date(from: leftAt))).description == "17:10")
            // A waiting line is not on the list; another association's booking does not exist here.
            let notExpected = try await client.json(
                .post, "/api/v1/attendance/\(waiting)", host: host, body: #"{"arrivedAt":"07:35"}"#, token: token)
            #expect(notExpected.status == .conflict)
            let other = try await TestEnvironment.makeTenant()
            let (otherToken, _, _) = try await BookingFixtures.activity(client, other, capacity: 1)
            let foreign = try await client.json(
                .post, "/api/v1/attendance/\(booking)", host: "\(other.slug).localhost", body: #"{"arrivedAt":"07:35"}"#,
                token: otherToken)
            #expect(foreign.status == .notFound)
            let parent = try await client.json(
                .post, "/api/v1/attendance/\(booking)", host: host, body: #"{"noShow":true}"#, token: families[0].token)
            #expect(parent.status == .forbidden)
            let (ticks, tick): (Int, String?) = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) {
                tx in
                (
                    try tx.queryOne("SELECT count(*)::int AS n FROM audit_log WHERE action = 'attendance.tick'").decode("n"),
                    try tx.queryOne("SELECT picked_up_by FROM attendance WHERE booking_id = \(booking)").decode("picked_up_by")
                )
            }
            #expect(ticks == 3 && tick == "Mamie Jo")
            // The tablet's page: an absent-unannounced child, then the tick undone.
            let (cookies, csrf) = try await PrivacyAndReviewTests.staff(client, tenant, role: .animateur)
            let third = try await Self.book(tenant, families[2], activity: activity, day: day, status: "validated")
            let absent = try await client.post(
                "/gestion/presences/\(third)", host: host,
                form: ["_csrf": csrf, "action": "absent", "jour": day.iso, "activite": String(activity)], cookies: cookies)
            #expect(absent.status == .seeOther)
            let page = try await client.get(
                "/gestion/presences?jour=\(day.iso)&activite=\(activity)", host: host, cookies: cookies)
            #expect(page.text.contains("Absent (non prévenu)") && page.text.contains("avec Mamie Jo"))
            let wrongHour = try await client.post(
                "/gestion/presences/\(third)", host: host,
                form: ["_csrf": csrf, "action": "arrivee", "heure": "7h", "jour": day.iso, "activite": String(activity)],
                cookies: cookies)
            #expect(wrongHour.status == .unprocessableContent && wrongHour.text.contains("08:45"))
            let noCSRF = try await client.post(
                "/gestion/presences/\(third)", host: host, form: ["action": "annuler", "jour": day.iso], cookies: cookies)
            #expect(noCSRF.status == .forbidden)
        }
    }

    @Test("a child who came without a booking: a validated booking on the spot, marked unexpected, counted in the day")
    func unexpectedChild() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let (token, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 1, mode: "manual")
            let families = try await BookingFixtures.families(tenant, count: 4)
            let day = Self.pastMonday
            _ = try await Self.book(tenant, families[0], activity: activity, day: day, status: "validated")
            let waiting = try await Self.book(tenant, families[1], activity: activity, day: day, status: "waiting")
            let admitted = try await client.json(
                .post, "/api/v1/attendance", host: host,
                body: #"{"childId":\#(families[2].childID),"activityId":\#(activity),"day":"\#(day.iso)","arrivedAt":"08:00"}"#,
                token: token)
            #expect(admitted.status == .created, "\(admitted.text)")
            #expect(admitted.jsonObject()?["unexpected"] as? Bool == true)
            // The same child again: the same booking, not a second one.
            let again = try await client.json(
                .post, "/api/v1/attendance", host: host,
                body: #"{"childId":\#(families[2].childID),"activityId":\#(activity),"day":"\#(day.iso)"}"#, token: token)
            #expect(again.jsonObject()?["bookingId"] as? Int == admitted.jsonObject()?["bookingId"] as? Int)
            // A child on the waiting list who came: their line becomes the booking, through the page.
            let (cookies, csrf) = try await PrivacyAndReviewTests.staff(client, tenant, role: .animateur)
            let page = try await client.post(
                "/gestion/presences/imprevu", host: host,
                form: [
                    "_csrf": csrf, "enfant": String(families[1].childID), "activite": String(activity), "jour": day.iso,
                    "heure": "08:05",
                ], cookies: cookies)
            #expect(page.status == .seeOther)
            let (status, held, live): (String, Int, Int) = try await TestEnvironment.runtime().database.withTenant(
                try tenant.scope()
            ) { tx in
                (
                    try tx.queryOne("SELECT status FROM bookings WHERE id = \(waiting)").decode("status"),
                    try tx.queryOne("SELECT held FROM activity_days WHERE activity_id = \(activity) AND day = \(day)").decode(
                        "held"),
                    try tx.queryOne(
                        "SELECT count(*)::int AS n FROM bookings WHERE activity_id = \(activity) AND day = \(day) AND status = 'validated'"
                    ).decode("n")
                )
            }
            #expect(status == "validated" && held == 3 && live == 3)
            let closedDay = day.adding(days: 5)  // a Saturday: the activity runs Monday to Friday
            for (body, field) in [
                (#"{"childId":\#(families[2].childID),"activityId":\#(activity),"day":"\#(closedDay.iso)"}"#, "day"),
                (#"{"childId":\#(families[2].childID),"activityId":\#(activity),"day":"hier"}"#, "day"),
                (
                    #"{"childId":\#(families[2].childID),"activityId":\#(activity),"day":"\#(day.iso)","arrivedAt":"8h"}"#,
                    "arrivedAt"
                ),
            ] {
                let refused = try await client.json(.post, "/api/v1/attendance", host: host, body: body, token: token)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect((refused.jsonObject()?["errors"] as? [[String: Any]])?.first?["field"] as? String == field)
            }
            // Two tablets add the same child at once: one booking, one place.
            let body = #"{"childId":\#(families[3].childID),"activityId":\#(activity),"day":"\#(day.iso)","arrivedAt":"08:10"}"#
            async let first = client.json(.post, "/api/v1/attendance", host: host, body: body, token: token)
            async let second = client.json(.post, "/api/v1/attendance", host: host, body: body, token: token)
            let (a, b) = try await (first, second)
            #expect(a.status == .created && b.status == .created, "\(a.text) \(b.text)")
            let (rows, heldAfter): (Int, Int) = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) {
                tx in
                (
                    try tx.queryOne(
                        "SELECT count(*)::int AS n FROM bookings WHERE child_id = \(families[3].childID) AND activity_id = \(activity)"
                    ).decode("n"),
                    try tx.queryOne("SELECT held FROM activity_days WHERE activity_id = \(activity) AND day = \(day)").decode(
                        "held")
                )
            }
            #expect(rows == 1 && heldAfter == 4)
            let unknownChild = try await client.json(
                .post, "/api/v1/attendance", host: host,
                body: #"{"childId":999999,"activityId":\#(activity),"day":"\#(day.iso)"}"#, token: token)
            #expect(unknownChild.status == .notFound)
        }
    }
}
