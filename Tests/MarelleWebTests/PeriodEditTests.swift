import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Editing and closing periods")
struct PeriodEditTests {
    static let winter =
        #"{"name":"Vacances d'hiver 2027","kind":"holidays","firstDay":"2027-02-13","lastDay":"2027-03-01","bookingOpensAt":"2027-01-05T08:00:00Z","bookingClosesAt":"2027-02-06T22:00:00Z"}"#

    @Test("PUT changes a period under the same rules; it may keep its own dates but not take another's")
    func api() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let token = try await ActivityAPITests().token(client, tenant, role: .direction)
            let winter = try await client.json(.post, "/api/v1/periods", host: host, body: Self.winter, token: token)
            let id = try #require(winter.jsonObject()?["id"] as? Int)
            let spring = Self.winter.replacingOccurrences(of: "hiver", with: "printemps").replacingOccurrences(
                of: "2027-02-13", with: "2027-04-10"
            )
            .replacingOccurrences(of: "2027-03-01", with: "2027-04-26")
            #expect(try await client.json(.post, "/api/v1/periods", host: host, body: spring, token: token).status == .created)
            let renamed = Self.winter.replacingOccurrences(of: "Vacances d'hiver 2027", with: "Hiver 2027")
            let ok = try await client.json(.put, "/api/v1/periods/\(id)", host: host, body: renamed, token: token)
            #expect(ok.status == .ok)
            #expect(ok.jsonObject()?["name"] as? String == "Hiver 2027")
            let clash = renamed.replacingOccurrences(of: "2027-03-01", with: "2027-04-15")
            let refused = try await client.json(.put, "/api/v1/periods/\(id)", host: host, body: clash, token: token)
            #expect(refused.status == .unprocessableContent)
            #expect((refused.jsonObject()?["detail"] as? String)?.contains("chevauche") == true)
            #expect(
                try await client.json(.put, "/api/v1/periods/999999", host: host, body: renamed, token: token).status == .notFound
            )
            let animateur = try await ActivityAPITests().token(client, tenant, role: .animateur)
            #expect(
                try await client.json(.put, "/api/v1/periods/\(id)", host: host, body: renamed, token: animateur).status
                    == .forbidden)
        }
    }

    @Test("the period page edits and closes a period, keeping typed values on a mistake")
    func page() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let id = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try PeriodStore().create(
                tx, name: "Vacances d'hiver 2027", kind: .holidays,
                days: try DateRange(first: LocalDate(iso: "2027-02-13")!, last: LocalDate(iso: "2027-03-01")!),
                opensAt: Date(timeIntervalSince1970: 1_799_000_000), closesAt: Date(timeIntervalSince1970: 1_801_000_000)
            ).id
        }
        try await WebTestServer.with { client in
            let account = try await AccountFixtures.account(in: tenant, role: .direction)
            let cookies = [
                AccountFixtures.sessionCookie: try await AccountFixtures.sessionID(client, host: host, email: account.email)
            ]
            let page = try await client.get("/gestion/periodes/\(id)", host: host, cookies: cookies)
            #expect(page.status == .ok)
            #expect(page.text.contains("value=\"2027-02-13\""))
            #expect(page.text.contains("value=\"holidays\" checked"))
            let csrf = try #require(page.hiddenField("_csrf"))
            var form = [
                "_csrf": csrf, "name": "Hiver 2027", "kind": "holidays", "firstDay": "2027-02-13", "lastDay": "2027-02-01",
                "opensDay": "2027-01-05", "closesDay": "2027-02-06",
            ]
            let wrong = try await client.post("/gestion/periodes/\(id)", host: host, form: form, cookies: cookies)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("value=\"Hiver 2027\""))
            form["lastDay"] = "2027-03-01"
            #expect(
                try await client.post("/gestion/periodes/\(id)", host: host, form: form, cookies: cookies).status == .seeOther)
            #expect(try await client.get("/gestion/activites", host: host, cookies: cookies).text.contains("Hiver 2027"))
            #expect(
                try await client.post("/gestion/periodes/\(id)/fermer", host: host, form: ["_csrf": csrf], cookies: cookies)
                    .status == .seeOther)
            #expect(try await client.get("/gestion/periodes/\(id)", host: host, cookies: cookies).status == .notFound)
        }
    }
}
