import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("A child's month calendar over the API")
struct CalendarAPITests {
    @Test("a parent reads their own child's month; another family's child does not exist for them; staff read any child")
    func access() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        _ = try await DemoSeeder(runtime: runtime).seed(tenant: tenant)
        let (lea, inès) = try await runtime.database.withTenant(try tenant.scope()) { tx in
            let all = try tx.query("SELECT id, first_name FROM children")
            let ids = Dictionary(
                uniqueKeysWithValues: try all.map {
                    (try $0.decode("first_name", as: String.self), try $0.decode("id", as: Int.self))
                })
            return (ids["Léa"]!, ids["Inès"]!)
        }
        try await WebTestServer.with { client in
            func token(_ email: String, _ password: String) async throws -> String {
                let login = try await client.json(
                    .post, "/api/v1/auth/login", host: host, body: #"{"email":"\#(email)","password":"\#(password)"}"#)
                return try #require(login.jsonObject()?["token"] as? String)
            }
            let parent = try await token(DemoSeeder.parentEmail, DemoSeeder.parentPassword)
            let today = ParisClock.date(of: Date())
            let month = String(format: "%04d-%02d", today.year, today.month)
            let own = try await client.json(.get, "/api/v1/children/\(lea)/calendar?month=\(month)", host: host, token: parent)
            #expect(own.status == .ok)
            let body = try #require(own.jsonObject())
            #expect(body["month"] as? String == month)
            let activities = try #require(body["activities"] as? [[String: Any]])
            #expect(activities.count == 7)
            let morning = try #require(activities.first { $0["name"] as? String == "PS MATIN TOUS (7h30-8h30)" })
            let days = try #require(morning["days"] as? [[String: Any]])
            #expect(days.count == LocalDate.daysIn(month: today.month, year: today.year))
            let states = Set(days.compactMap { $0["state"] as? String })
            #expect(states.isSubset(of: ["closed", "past-deadline", "free", "full", "outside-window"]))
            // An elementary activity is not for Léa (PS).
            let elementary = try #require(activities.first { $0["name"] as? String == "ÉLÉMENTAIRE MATIN (7h30-8h30)" })
            let elementaryStates = Set((elementary["days"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String })
            #expect(elementaryStates.isSubset(of: ["closed", "not-allowed"]))
            // The Martins' QF (820) picks the middle bracket of the evening: 1.60 €.
            let evening = try #require(activities.first { $0["name"] as? String == "MATERNELLE SOIR (16h30-18h30)" })
            let prices = Set((evening["days"] as? [[String: Any]] ?? []).compactMap { $0["priceCents"] as? Int })
            #expect(prices.isSubset(of: [160]))

            let other = try await client.json(.get, "/api/v1/children/\(inès)/calendar?month=\(month)", host: host, token: parent)
            #expect(other.status == .notFound)
            #expect(other.headers[.contentType] == "application/problem+json")
            #expect(
                try await client.json(.get, "/api/v1/children/999999/calendar", host: host, token: parent).status == .notFound)
            #expect(
                try await client.json(.get, "/api/v1/children/\(lea)/calendar?month=2027-13", host: host, token: parent).status
                    == .badRequest)
            let staff = try await token(DemoSeeder.directionEmail, DemoSeeder.directionPassword)
            #expect(try await client.json(.get, "/api/v1/children/\(inès)/calendar", host: host, token: staff).status == .ok)
            #expect(try await client.json(.get, "/api/v1/children/\(lea)/calendar", host: host).status == .unauthorized)
        }
    }
}
