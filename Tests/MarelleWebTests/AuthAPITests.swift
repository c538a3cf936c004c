import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("API authentication")
struct AuthAPITests {
    @Test("login gives a bearer token; /me names the account; revoking it ends it")
    func tokenLifecycle() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let login = try await client.json(
                .post, "/api/v1/auth/login", host: host,
                body: #"{"email":"\#(account.email)","password":"\#(AccountFixtures.password)"}"#)
            #expect(login.status == .created)
            let body = try #require(login.jsonObject())
            let token = try #require(body["token"] as? String)
            #expect(token.count == 43)
            #expect(body["tokenType"] as? String == "Bearer")
            let me = try await client.json(.get, "/api/v1/me", host: host, token: token)
            #expect(me.status == .ok)
            #expect(me.jsonObject()?["email"] as? String == account.email)
            #expect(me.jsonObject()?["role"] as? String == "parent")
            #expect(me.jsonObject()?["familyId"] as? Int == account.familyID)
            #expect(try await client.json(.delete, "/api/v1/auth/session", host: host, token: token).status == .noContent)
            let after = try await client.json(.get, "/api/v1/me", host: host, token: token)
            #expect(after.status == .unauthorized)
            #expect(after.headers[.contentType] == "application/problem+json")
        }
        let actions = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try AuditLog().latest(tx).map(\.action)
        }
        #expect(actions.contains("token.issue"))
        #expect(actions.contains("token.revoke"))
    }

    @Test("bad credentials, bad JSON, a missing token and a session cookie all get problem+json")
    func refusals() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let wrong = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: #"{"email":"\#(account.email)","password":"nope nope nope"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.contentType] == "application/problem+json")
            #expect(wrong.jsonObject()?["status"] as? Int == 401)
            #expect((wrong.jsonObject()?["detail"] as? String)?.contains("incorrect") == true)
            let malformed = try await client.json(.post, "/api/v1/auth/login", host: host, body: "{not json")
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType] == "application/problem+json")
            let anonymous = try await client.json(.get, "/api/v1/me", host: host)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let session = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            let withCookie = try await client.get("/api/v1/me", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(withCookie.status == .unauthorized)
        }
    }

    @Test("a token of tenant A is unknown on tenant B")
    func crossTenantToken() async throws {
        let a = try await TestEnvironment.makeTenant()
        let b = try await TestEnvironment.makeTenant()
        let account = try await AccountFixtures.account(in: a)
        try await WebTestServer.with { client in
            let login = try await client.json(
                .post, "/api/v1/auth/login", host: "\(a.slug).localhost",
                body: #"{"email":"\#(account.email)","password":"\#(AccountFixtures.password)"}"#)
            let token = try #require(login.jsonObject()?["token"] as? String)
            #expect(try await client.json(.get, "/api/v1/me", host: "\(b.slug).localhost", token: token).status == .unauthorized)
            #expect(try await client.json(.get, "/api/v1/me", host: "\(a.slug).localhost", token: token).status == .ok)
        }
    }

    @Test("the development mail catcher lists mails newest first, as HTML with links and as JSON")
    func devMail() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let first = try await AccountFixtures.account(in: tenant)
        let second = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let html = try await client.get("/_dev/mail", host: host)
            #expect(html.status == .ok)
            #expect(html.text.contains("<a href=\"https://\(tenant.slug).localhost/invitation?jeton="))
            let json = try await client.get("/_dev/mail.json", host: host)
            let list = try #require(
                try JSONSerialization.jsonObject(with: Data(json.body!.readableBytesView)) as? [[String: Any]])
            #expect(list.map { $0["to"] as? String } == [second.email, first.email])
        }
    }

    @Test("staff invite a family from a page; parents may not")
    func staffInvitation() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let staff = try await AccountFixtures.account(in: tenant, role: .direction)
        let parent = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let parentSession = try await AccountFixtures.sessionID(client, host: host, email: parent.email)
            #expect(
                try await client.get("/gestion/invitations", host: host, cookies: [AccountFixtures.sessionCookie: parentSession])
                    .status == .forbidden)
            let session = try await AccountFixtures.sessionID(client, host: host, email: staff.email)
            let cookies = [AccountFixtures.sessionCookie: session]
            let page = try await client.get("/gestion/invitations", host: host, cookies: cookies)
            let csrf = try #require(page.hiddenField("_csrf"))
            let bad = try await client.post(
                "/gestion/invitations", host: host, form: ["email": "pas-une-adresse", "family": "Martin", "_csrf": csrf],
                cookies: cookies)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("pas une adresse e-mail valide"))
            #expect(bad.text.contains("value=\"Martin\""))
            let duplicate = try await client.post(
                "/gestion/invitations", host: host, form: ["email": parent.email, "family": "Martin", "_csrf": csrf],
                cookies: cookies)
            #expect(duplicate.text.contains("Un compte existe déjà"))
            let ok = try await client.post(
                "/gestion/invitations", host: host, form: ["email": "paul.martin@exemple.fr", "family": "Martin", "_csrf": csrf],
                cookies: cookies)
            #expect(ok.status == .ok)
            #expect(ok.text.contains("Invitation envoyée à paul.martin@exemple.fr"))
        }
        #expect(try await AccountFixtures.latestMail(tenant, to: "paul.martin@exemple.fr")?.kind == "invitation")
    }
}
