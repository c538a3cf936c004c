import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarelleTestSupport
import Testing

@testable import MarelleWeb

/// Mon calendrier, step 3 and the API calendar check their caller inside their use case's
/// transaction (`Caller`): refusals must be the ones the middleware gives everywhere else.
@Suite("Pages that check their caller in their own transaction refuse as every other page does")
struct CallerCheckTests {
    @Test("an unknown or signed-out session on Mon calendrier and step 3 goes to the login page, and nothing is shown")
    func unknownSession() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            for path in ["/mon-calendrier", "/inscription/planning?choix=1-1"] {
                let forged = try await client.get(
                    path, host: host, cookies: [AccountFixtures.sessionCookie: String(repeating: "A", count: 43)])
                #expect(forged.status == .seeOther)
                #expect(forged.headers[.location]?.hasPrefix("/login?suite=") == true)
                let none = try await client.get(path, host: host)
                #expect(none.status == .seeOther)
            }
            // A real session, then signed out: the same cookie is worth nothing.
            let parent = try await AccountFixtures.account(in: tenant)
            let session = try await AccountFixtures.sessionID(client, host: host, email: parent.email)
            let page = try await client.get("/mon-calendrier", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(page.status == .ok && page.text.contains("<h1>Mon calendrier</h1>"))
            // The header knows who is signed in: the session checked in the page's transaction.
            #expect(page.text.contains("Se déconnecter") && page.text.contains("Panier (0)"))
            let csrf = try #require(page.hiddenField("_csrf"))
            _ = try await client.post(
                "/logout", host: host, form: ["_csrf": csrf], cookies: [AccountFixtures.sessionCookie: session])
            let after = try await client.get("/mon-calendrier", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(after.status == .seeOther)
        }
    }

    @Test("a staff session on a family's page is refused with 403 and the reason, not a redirect")
    func staffOnFamilyPage() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let staff = try await AccountFixtures.account(in: tenant, role: .direction)
            let session = try await AccountFixtures.sessionID(client, host: host, email: staff.email)
            let page = try await client.get("/mon-calendrier", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(page.status == .forbidden)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("Les inscriptions sont celles des familles"))
        }
    }

    @Test("an unknown bearer token on the API calendar is a 401 problem, HEAD included; a cookie is no token")
    func unknownToken() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let forged = try await client.get(
                "/api/v1/children/1/calendar", host: host,
                headers: [.authorization: "Bearer " + String(repeating: "B", count: 43)])
            #expect(forged.status == .unauthorized)
            #expect(forged.headers[.contentType] == "application/problem+json")
            #expect(forged.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(forged.text.contains("Jeton inconnu"))
            let parent = try await AccountFixtures.account(in: tenant)
            let session = try await AccountFixtures.sessionID(client, host: host, email: parent.email)
            let cookieOnly = try await client.get(
                "/api/v1/children/1/calendar", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(cookieOnly.status == .unauthorized)
        }
    }

    @Test(
        "the API's Valider checks its token in the submission's transaction: forged is a 401 problem, staff a 403 problem, and nothing is stored"
    )
    func submitChecksItsToken() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (staffToken, activityID, _) = try await BookingFixtures.activity(client, tenant, capacity: 5)
            let body = #"{"lines":[{"childId":1,"activityId":\#(activityID),"days":["\#(BookingFixtures.day(after: 14).iso)"]}]}"#
            let forged = try await client.json(
                .post, "/api/v1/basket/submit", host: host, body: body, token: String(repeating: "B", count: 43))
            #expect(forged.status == .unauthorized)
            #expect(forged.headers[.contentType] == "application/problem+json")
            #expect(forged.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let staff = try await client.json(.post, "/api/v1/basket/submit", host: host, body: body, token: staffToken)
            #expect(staff.status == .forbidden)
            #expect(staff.headers[.contentType] == "application/problem+json")
            let stored: Int = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne("SELECT (SELECT count(*) FROM submissions) + (SELECT count(*) FROM basket_lines) AS n").decode(
                    "n")
            }
            #expect(stored == 0)
        }
    }
}
