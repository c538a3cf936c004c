import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("The staff's home: today and tomorrow per activity, and what waits for the team")
struct DashboardTests {
    @Test("counts of children (allergies, PAI, absences), requests, documents, waiting lines and incomplete files")
    func counters() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let (token, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 10, mode: "manual")
            let families = try await BookingFixtures.families(tenant, count: 5)
            let today = ParisClock.date(of: Date())
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                // Every day of the week, so that today runs whatever day the suite runs on.
                try tx.execute("UPDATE activities SET weekdays = '{1,2,3,4,5,6,7}' WHERE id = \(activity)")
                try tx.execute("UPDATE children SET allergies = 'gluten', has_pai = true WHERE id = \(families[0].childID)")
                // Family 0's file is complete (a child, a guardian with a name and a phone); family 4
                // has no guardian with a name and a phone: an incomplete file.
                try tx.execute(
                    "INSERT INTO guardians (family_id, first_name, last_name, mobile_phone) VALUES (\(families[0].familyID), 'Anne', 'Test', '0611223344')"
                )
                try tx.execute("DELETE FROM guardians WHERE family_id = \(families[4].familyID)")
            }
            _ = try await AttendanceTests.book(tenant, families[0], activity: activity, day: today, status: "validated")
            let absent = try await AttendanceTests.book(tenant, families[1], activity: activity, day: today, status: "validated")
            _ = try await AttendanceTests.book(tenant, families[2], activity: activity, day: today, status: "requested")
            _ = try await AttendanceTests.book(
                tenant, families[3], activity: activity, day: today.adding(days: 1), status: "waiting")
            _ = try await AttendanceTests.book(
                tenant, families[3], activity: activity, day: today.adding(days: 1), status: "refused")
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.execute(
                    "INSERT INTO absences (booking_id, family_id, reason) VALUES (\(absent), \(families[1].familyID), 'Rendez-vous')"
                )
            }
            let families4 = families
            let incompleteBefore: Int = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne(
                    "SELECT count(*)::int AS n FROM families f WHERE f.id = ANY(\(families4.map(\.familyID))) AND \(FamilyStore.incomplete)"
                ).decode("n")
            }
            let answer = try await client.json(.get, "/api/v1/dashboard", host: host, token: token)
            #expect(answer.status == .ok, "\(answer.text)")
            let body = try #require(answer.jsonObject())
            #expect(body["toProcess"] as? Int == 1 && body["waiting"] as? Int == 1)
            #expect(body["incompleteFamilies"] as? Int == incompleteBefore)
            let days = try #require(body["days"] as? [[String: Any]])
            if !FrenchPublicHolidays.isHoliday(today) {
                let line = try #require(
                    (days.first?["activities"] as? [[String: Any]])?.first { $0["activityId"] as? Int == activity })
                #expect(line["expected"] as? Int == 1 && line["allergies"] as? Int == 1 && line["pai"] as? Int == 1)
                #expect(line["absent"] as? Int == 1)
            }
            let parent = try await client.json(.get, "/api/v1/dashboard", host: host, token: families[0].token)
            #expect(parent.status == .forbidden)
            // The page: the staff land on it from the association's home; every count links to its list.
            let (cookies, _) = try await PrivacyAndReviewTests.staff(client, tenant, role: .animateur)
            let home = try await client.get("/", host: host, cookies: cookies)
            #expect(home.status == .seeOther && home.headers[.location] == "/gestion/")
            let page = try await client.get("/gestion/", host: host, cookies: cookies)
            #expect(page.status == .ok)
            #expect(page.text.contains("1 demande(s) à traiter") && page.text.contains("href=\"/gestion/familles?incomplets=1\""))
            let incomplete = try await client.get("/gestion/familles?incomplets=1", host: host, cookies: cookies)
            #expect(incomplete.text.contains("/gestion/familles/\(families[4].familyID)\""))
            #expect(!incomplete.text.contains("/gestion/familles/\(families[0].familyID)\""))
            #expect(incompleteBefore == 4)
        }
    }
}
