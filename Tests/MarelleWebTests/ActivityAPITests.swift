import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Staff API for periods and activities")
struct ActivityAPITests {
    func token(_ client: WebClient, _ tenant: Tenant, role: Role) async throws -> String {  // shared with ActivityEditTests
        let account = try await AccountFixtures.account(in: tenant, role: role)
        let login = try await client.json(
            .post, "/api/v1/auth/login", host: "\(tenant.slug).localhost",
            body: #"{"email":"\#(account.email)","password":"\#(AccountFixtures.password)"}"#)
        return try #require(login.jsonObject()?["token"] as? String)
    }

    static let schoolYear =
        #"{"name":"Année scolaire 2026-2027","kind":"school_year","firstDay":"2026-09-01","lastDay":"2027-07-03","bookingOpensAt":"2026-08-20T08:00:00Z","bookingClosesAt":"2027-06-30T22:00:00Z"}"#

    static func activity(
        periodID: Int, name: String = "PS MATIN TOUS (7h30-8h30)", starts: String = "07:30", ends: String = "08:30",
        capacity: Int = 24, levels: String = #"["PS"]"#
    ) -> String {
        #"{"name":"\#(name)","startsAt":"\#(starts)","endsAt":"\#(ends)","levels":\#(levels),"capacity":\#(capacity),"weekdays":[1,2,4,5],"validationMode":"manual","bookingDeadline":{"daysBefore":1,"time":"10:00"},"cancellationDeadline":{"daysBefore":2,"time":"18:00","workingDaysOnly":true},"periodIds":[\#(periodID)],"price":{"flatCents":185}}"#
    }

    @Test("the direction creates a period and an activity; staff list them")
    func create() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let direction = try await token(client, tenant, role: .direction)
            let period = try await client.json(.post, "/api/v1/periods", host: host, body: Self.schoolYear, token: direction)
            #expect(period.status == .created)
            let periodID = try #require(period.jsonObject()?["id"] as? Int)
            let created = try await client.json(
                .post, "/api/v1/activities", host: host, body: Self.activity(periodID: periodID), token: direction)
            #expect(created.status == .created)
            let body = try #require(created.jsonObject())
            #expect(body["name"] as? String == "PS MATIN TOUS (7h30-8h30)")
            #expect((body["bookingDeadline"] as? [String: Any])?["text"] as? String == "la veille à 10h00")
            #expect((body["cancellationDeadline"] as? [String: Any])?["text"] as? String == "2 jours ouvrés avant à 18h00")
            let animateur = try await token(client, tenant, role: .animateur)
            let list = try await client.json(.get, "/api/v1/activities", host: host, token: animateur)
            #expect(list.status == .ok)
            let items = try #require(
                try JSONSerialization.jsonObject(with: Data(list.body!.readableBytesView)) as? [[String: Any]])
            #expect(items.count == 1)
            let id = try #require(body["id"] as? Int)
            #expect(try await client.json(.get, "/api/v1/activities/\(id)", host: host, token: animateur).status == .ok)
            #expect(try await client.json(.delete, "/api/v1/activities/\(id)", host: host, token: direction).status == .noContent)
            #expect(try await client.json(.get, "/api/v1/activities/\(id)", host: host, token: animateur).status == .notFound)
        }
    }

    @Test(
        "bad inputs are refused field by field with problem+json, and nothing is saved",
        arguments: [
            ("end before start", #"starts: "09:00", ends: "08:00""#, "endsAt"),
            ("zero capacity", "capacity 0", "capacity"),
            ("negative capacity", "capacity -3", "capacity"),
            ("unknown level", "level CM3", "levels"),
            ("unknown period", "period 999999", "periodIds"),
        ])
    func refused(label: String, change: String, field: String) async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let direction = try await token(client, tenant, role: .direction)
            let period = try await client.json(.post, "/api/v1/periods", host: host, body: Self.schoolYear, token: direction)
            let periodID = try #require(period.jsonObject()?["id"] as? Int)
            let body =
                switch label {
                case "end before start": Self.activity(periodID: periodID, starts: "09:00", ends: "08:00")
                case "zero capacity": Self.activity(periodID: periodID, capacity: 0)
                case "negative capacity": Self.activity(periodID: periodID, capacity: -3)
                case "unknown level": Self.activity(periodID: periodID, levels: #"["PS","CM3"]"#)
                default: Self.activity(periodID: 999_999)
                }
            let response = try await client.json(.post, "/api/v1/activities", host: host, body: body, token: direction)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let errors = try #require(response.jsonObject()?["errors"] as? [[String: String]])
            #expect(errors.contains { $0["field"] == field && !($0["message"] ?? "").isEmpty })
            let list = try await client.json(.get, "/api/v1/activities", host: host, token: direction)
            #expect(list.text == "[]")
        }
    }

    @Test("overlapping periods of the same kind, and a period ending before it starts, are refused")
    func periods() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let direction = try await token(client, tenant, role: .direction)
            #expect(
                try await client.json(.post, "/api/v1/periods", host: host, body: Self.schoolYear, token: direction).status
                    == .created)
            let overlapping = try await client.json(
                .post, "/api/v1/periods", host: host,
                body: Self.schoolYear.replacingOccurrences(of: "2026-09-01", with: "2027-01-01"), token: direction)
            #expect(overlapping.status == .unprocessableContent)
            #expect((overlapping.jsonObject()?["detail"] as? String)?.contains("chevauche") == true)
            let holidays =
                #"{"name":"Vacances d'hiver 2027","kind":"holidays","firstDay":"2027-02-13","lastDay":"2027-03-01","bookingOpensAt":"2027-01-05T08:00:00Z","bookingClosesAt":"2027-02-06T22:00:00Z"}"#
            #expect(
                try await client.json(.post, "/api/v1/periods", host: host, body: holidays, token: direction).status == .created)
            let backwards = holidays.replacingOccurrences(of: "2027-03-01", with: "2027-02-01").replacingOccurrences(
                of: "hiver", with: "x")
            #expect(
                try await client.json(.post, "/api/v1/periods", host: host, body: backwards, token: direction).status
                    == .unprocessableContent)
            #expect(
                try await client.json(.post, "/api/v1/periods", host: host, body: "{", token: direction).status == .badRequest)
        }
    }

    @Test("parents may not use the staff API, animateurs may only read, and another tenant sees nothing")
    func access() async throws {
        let a = try await TestEnvironment.makeTenant()
        let b = try await TestEnvironment.makeTenant()
        try await WebTestServer.with { client in
            let directionA = try await token(client, a, role: .direction)
            let period = try await client.json(
                .post, "/api/v1/periods", host: "\(a.slug).localhost", body: Self.schoolYear, token: directionA)
            let periodID = try #require(period.jsonObject()?["id"] as? Int)
            let created = try await client.json(
                .post, "/api/v1/activities", host: "\(a.slug).localhost", body: Self.activity(periodID: periodID),
                token: directionA)
            let id = try #require(created.jsonObject()?["id"] as? Int)
            let parent = try await token(client, a, role: .parent)
            #expect(
                try await client.json(.get, "/api/v1/activities", host: "\(a.slug).localhost", token: parent).status == .forbidden
            )
            let animateur = try await token(client, a, role: .animateur)
            #expect(
                try await client.json(.delete, "/api/v1/activities/\(id)", host: "\(a.slug).localhost", token: animateur).status
                    == .forbidden)
            let directionB = try await token(client, b, role: .direction)
            #expect(
                try await client.json(.get, "/api/v1/activities/\(id)", host: "\(b.slug).localhost", token: directionB).status
                    == .notFound)
            #expect(
                try await client.json(.delete, "/api/v1/activities/\(id)", host: "\(b.slug).localhost", token: directionB).status
                    == .notFound)
            #expect(
                try await client.json(.get, "/api/v1/activities/\(id)", host: "\(b.slug).localhost", token: directionA).status
                    == .unauthorized)
            #expect(
                try await client.json(.get, "/api/v1/activities/\(id)", host: "\(a.slug).localhost", token: directionA).status
                    == .ok)
        }
    }
}
