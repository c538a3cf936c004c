import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Editing activities")
struct ActivityEditTests {
    func setUp(_ client: WebClient, _ tenant: Tenant) async throws -> (token: String, id: Int, periodID: Int) {
        let api = ActivityAPITests()
        let token = try await api.token(client, tenant, role: .direction)
        let host = "\(tenant.slug).localhost"
        let period = try await client.json(.post, "/api/v1/periods", host: host, body: ActivityAPITests.schoolYear, token: token)
        let periodID = try #require(period.jsonObject()?["id"] as? Int)
        let created = try await client.json(
            .post, "/api/v1/activities", host: host, body: ActivityAPITests.activity(periodID: periodID), token: token)
        return (token, try #require(created.jsonObject()?["id"] as? Int), periodID)
    }

    @Test("PUT changes the description; without a price the current one stays; a new price starts a new entry")
    func put() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (token, id, periodID) = try await setUp(client, tenant)
            var body = ActivityAPITests.activity(periodID: periodID, name: "PS MATIN (7h30-8h30)", capacity: 30)
            body = body.replacingOccurrences(of: #","price":{"flatCents":185}"#, with: "")
            let updated = try await client.json(.put, "/api/v1/activities/\(id)", host: host, body: body, token: token)
            #expect(updated.status == .ok)
            #expect(updated.jsonObject()?["name"] as? String == "PS MATIN (7h30-8h30)")
            #expect(updated.jsonObject()?["capacity"] as? Int == 30)
            let database = try await TestEnvironment.runtime().database
            #expect(
                try await database.withTenant(try tenant.scope()) { tx in try ActivityStore().currentPrice(tx, activityID: id) }
                    == .flat(Money(cents: 185)))
            let priced = ActivityAPITests.activity(periodID: periodID).replacingOccurrences(of: "185", with: "210")
            #expect(try await client.json(.put, "/api/v1/activities/\(id)", host: host, body: priced, token: token).status == .ok)
            #expect(
                try await database.withTenant(try tenant.scope()) { tx in try ActivityStore().currentPrice(tx, activityID: id) }
                    == .flat(Money(cents: 210)))
            let history = try await database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne("SELECT count(*) AS n FROM activity_prices WHERE activity_id = \(id)").decode("n", as: Int.self)
            }
            #expect(history == 2)
            #expect(
                try await client.json(.put, "/api/v1/activities/999999", host: host, body: priced, token: token).status
                    == .notFound)
        }
    }

    @Test("capacity may not drop below places already held on a coming date")
    func capacityFloor() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (token, id, periodID) = try await setUp(client, tenant)
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.execute("INSERT INTO activity_days (activity_id, day, held) VALUES (\(id), current_date + 10, 8)")
            }
            let lower = try await client.json(
                .put, "/api/v1/activities/\(id)", host: host, body: ActivityAPITests.activity(periodID: periodID, capacity: 5),
                token: token)
            #expect(lower.status == .unprocessableContent)
            #expect((lower.jsonObject()?["detail"] as? String)?.contains("Déjà 8 places réservées") == true)
            let enough = try await client.json(
                .put, "/api/v1/activities/\(id)", host: host, body: ActivityAPITests.activity(periodID: periodID, capacity: 8),
                token: token)
            #expect(enough.status == .ok)
        }
    }

    @Test("the edit page comes filled in, saves, and keeps the typed values when something is wrong")
    func page() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (_, id, periodID) = try await setUp(client, tenant)
            let account = try await AccountFixtures.account(in: tenant, role: .direction)
            let cookies = [
                AccountFixtures.sessionCookie: try await AccountFixtures.sessionID(client, host: host, email: account.email)
            ]
            let page = try await client.get("/gestion/activites/\(id)", host: host, cookies: cookies)
            #expect(page.status == .ok)
            #expect(page.text.contains("Modifier l&#39;activité"))
            #expect(page.text.contains("value=\"PS MATIN TOUS (7h30-8h30)\""))
            #expect(page.text.contains("value=\"PS\" checked"))
            #expect(page.text.contains("value=\"\(periodID)\" checked"))
            let csrf = try #require(page.hiddenField("_csrf"))
            var form = StaffActivitiesPageTests().activityForm(
                periodID: periodID, csrf: csrf, overrides: ["name": "PS MATIN ÉTÉ", "priceFlat": ""])
            let saved = try await client.post("/gestion/activites/\(id)", host: host, form: form, cookies: cookies)
            #expect(saved.status == .seeOther)
            #expect(try await client.get("/gestion/activites", host: host, cookies: cookies).text.contains("PS MATIN ÉTÉ"))
            form["endsAt"] = "06:00"
            let wrong = try await client.post("/gestion/activites/\(id)", host: host, form: form, cookies: cookies)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("value=\"PS MATIN ÉTÉ\""))
            #expect(try await client.get("/gestion/activites/999999", host: host, cookies: cookies).status == .notFound)
        }
    }
}
