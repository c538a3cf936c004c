import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Connexion: invitation, sign-in, sign-out")
struct ConnexionJourneyTests {
    @Test("an invited parent chooses a password through the e-mailed link, signs in and out")
    func invitationToLogout() async throws {
        let tenant = try await TestEnvironment.makeTenant(name: "Les Petits Malins")
        let host = "\(tenant.slug).localhost"
        let runtime = try await TestEnvironment.runtime()
        let email = "marie.dupont@exemple.fr"
        try await runtime.invitations.invite(tenant: tenant, email: email, role: .parent, familyName: "Dupont", by: .system)
        let mail = try #require(try await AccountFixtures.latestMail(tenant, to: email))
        #expect(mail.body.contains("https://\(tenant.slug).localhost/invitation?jeton="))
        let token = try AccountFixtures.token(in: mail)
        try await WebTestServer.with { client in
            let page = try await client.get("/invitation?jeton=\(token)", host: host)
            #expect(page.status == .ok)
            #expect(page.text.contains(email))
            let csrf = try #require(page.hiddenField("_csrf"))
            let cookies = [AccountFixtures.csrfCookie: try #require(page.setCookies[AccountFixtures.csrfCookie])]
            // A common password is refused, with the reason, and the link still works.
            let weak = try await client.post(
                "/invitation", host: host,
                form: ["jeton": token, "password": "azertyuiop123", "confirmation": "azertyuiop123", "_csrf": csrf],
                cookies: cookies)
            #expect(weak.status == .unprocessableContent)
            #expect(weak.text.contains("trop courant"))
            let mismatch = try await client.post(
                "/invitation", host: host,
                form: [
                    "jeton": token, "password": AccountFixtures.password, "confirmation": "autre chose encore", "_csrf": csrf,
                ],
                cookies: cookies)
            #expect(mismatch.text.contains("ne sont pas identiques"))
            let chosen = try await client.post(
                "/invitation", host: host,
                form: [
                    "jeton": token, "password": AccountFixtures.password, "confirmation": AccountFixtures.password, "_csrf": csrf,
                ],
                cookies: cookies)
            #expect(chosen.status == .seeOther)
            #expect(chosen.headers[.location] == "/login?active=1")
            // The login page that follows has the address filled in, once.
            let remembered = try #require(chosen.setCookies["marelle_login"])
            let loginPage = try await client.get("/login?active=1", host: host, cookies: ["marelle_login": remembered])
            #expect(loginPage.text.contains("Votre compte est activé"))
            #expect(loginPage.text.contains("value=\"\(email)\""))
            #expect(loginPage.setCookies["marelle_login"] == "")
            #expect(try await !client.get("/login", host: host).text.contains("value=\"\(email)\""))
            // The link is single-use.
            #expect(try await client.get("/invitation?jeton=\(token)", host: host).status == .gone)

            let login = try await AccountFixtures.login(client, host: host, email: "  Marie.Dupont@Exemple.FR ")
            #expect(login.status == .seeOther)
            let sessionHeader = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("marelle_session=") })
            #expect(sessionHeader.contains("HttpOnly"))
            #expect(sessionHeader.contains("SameSite=Lax"))
            #expect(!sessionHeader.contains("Domain"))
            let session = try #require(login.setCookies[AccountFixtures.sessionCookie])
            let home = try await client.get("/", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(home.text.contains("Vous êtes connecté·e avec marie.dupont@exemple.fr"))
            #expect(home.headers[.cacheControl] == "no-store" || home.headers[.cacheControl] == "no-cache")

            let logout = try await client.post(
                "/logout", host: host, form: ["_csrf": try #require(home.hiddenField("_csrf"))],
                cookies: [AccountFixtures.sessionCookie: session])
            #expect(logout.status == .seeOther)
            let after = try await client.get("/", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(!after.text.contains("Vous êtes connecté"))
        }
        let actions = try await runtime.database.withTenant(try tenant.scope()) { tx in try AuditLog().latest(tx).map(\.action) }
        #expect(actions.contains("account.invite"))
        #expect(actions.contains("account.activate"))
        #expect(actions.contains("login.success"))
        #expect(actions.contains("logout"))
    }

    @Test("a wrong password, an unknown address and an empty form all get the same clear refusal")
    func wrongCredentials() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let wrong = try await AccountFixtures.login(
                client, host: host, email: account.email, password: "pas le bon mot de passe")
            let unknown = try await AccountFixtures.login(
                client, host: host, email: "personne@exemple.fr", password: "pas le bon mot de passe")
            for response in [wrong, unknown] {
                #expect(response.status == .unauthorized)
                #expect(response.text.contains("Adresse e-mail ou mot de passe incorrect."))
                #expect(response.setCookies[AccountFixtures.sessionCookie] == nil)
            }
            #expect(unknown.text.contains("value=\"personne@exemple.fr\""))
        }
        let audit = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in try AuditLog().latest(tx)
        }
        let failures = audit.filter { $0.action == "login.failure" }
        #expect(failures.count == 2)
        #expect(!failures.contains { $0.detail.contains("pas le bon") })
    }

    @Test("after five wrong passwords the account is locked: 429 with Retry-After, even for the right password")
    func throttling() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            for _ in 0..<5 {
                let response = try await AccountFixtures.login(
                    client, host: host, email: account.email, password: "mauvais mot de passe !")
                #expect(response.status == .unauthorized)
            }
            #expect(try await AccountFixtures.holdLockOut(tenant, email: account.email))
            let right = try await AccountFixtures.login(client, host: host, email: account.email)
            #expect(right.status == .tooManyRequests)
            #expect(Int(right.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(right.setCookies[AccountFixtures.sessionCookie] == nil)
            #expect(right.text.contains("Mot de passe oublié"))
        }
    }

    @Test("a session id from before login is worthless after it (no fixation)")
    func fixation() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let first = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            let page = try await client.get("/login?x=1", host: host, cookies: [AccountFixtures.sessionCookie: first])
            #expect(page.status == .seeOther)  // already signed in
            let again = try await AccountFixtures.login(client, host: host, email: account.email)
            let second = try #require(again.setCookies[AccountFixtures.sessionCookie])
            #expect(second != first)
            // A login made while carrying the old cookie (with that session's form token)
            // replaces it: the old id stops working.
            let home = try await client.get("/", host: host, cookies: [AccountFixtures.sessionCookie: first])
            let csrf = try #require(home.hiddenField("_csrf"))
            let third = try await client.post(
                "/login", host: host, form: ["email": account.email, "password": AccountFixtures.password, "_csrf": csrf],
                cookies: [AccountFixtures.sessionCookie: first])
            #expect(third.status == .seeOther)
            #expect(third.setCookies[AccountFixtures.sessionCookie] != first)
            let old = try await client.get(
                "/mon-compte/mot-de-passe", host: host, cookies: [AccountFixtures.sessionCookie: first])
            #expect(old.status == .seeOther)
            #expect(old.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test("tenant A's session cookie means nothing on tenant B's host")
    func crossTenantCookie() async throws {
        let a = try await TestEnvironment.makeTenant()
        let b = try await TestEnvironment.makeTenant()
        let account = try await AccountFixtures.account(in: a)
        try await WebTestServer.with { client in
            let session = try await AccountFixtures.sessionID(client, host: "\(a.slug).localhost", email: account.email)
            let onA = try await client.get(
                "/mon-compte/mot-de-passe", host: "\(a.slug).localhost", cookies: [AccountFixtures.sessionCookie: session])
            #expect(onA.status == .ok)
            let onB = try await client.get(
                "/mon-compte/mot-de-passe", host: "\(b.slug).localhost", cookies: [AccountFixtures.sessionCookie: session])
            #expect(onB.status == .seeOther)
            // And the account's credentials do not exist on B.
            let login = try await AccountFixtures.login(client, host: "\(b.slug).localhost", email: account.email)
            #expect(login.status == .unauthorized)
        }
    }

    @Test("a form post without its CSRF token, or from another origin, is refused and changes nothing")
    func csrf() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let session = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            let cookies = [AccountFixtures.sessionCookie: session]
            let home = try await client.get("/", host: host, cookies: cookies)
            let token = try #require(home.hiddenField("_csrf"))
            let noToken = try await client.post("/logout", host: host, form: [:], cookies: cookies)
            #expect(noToken.status == .forbidden)
            // One character changed, and surely changed (a token starting with "x" must not stay equal).
            let forged = (token.first == "x" ? "y" : "x") + token.dropFirst()
            let badToken = try await client.post("/logout", host: host, form: ["_csrf": forged], cookies: cookies)
            #expect(badToken.status == .forbidden)
            let crossSite = try await client.post(
                "/logout", host: host, form: ["_csrf": token], cookies: cookies,
                headers: [HTTPField.Name("Sec-Fetch-Site")!: "same-site"])
            #expect(crossSite.status == .forbidden)
            let otherOrigin = try await client.post(
                "/logout", host: host, form: ["_csrf": token], cookies: cookies,
                headers: [HTTPField.Name("Origin")!: "http://evil.localhost"])
            #expect(otherOrigin.status == .forbidden)
            // Still signed in: nothing was changed.
            #expect(try await client.get("/mon-compte/mot-de-passe", host: host, cookies: cookies).status == .ok)
            let sameOrigin = try await client.post(
                "/logout", host: host, form: ["_csrf": token], cookies: cookies,
                headers: [HTTPField.Name("Origin")!: "http://\(host)"])
            #expect(sameOrigin.status == .seeOther)
        }
    }

    @Test("disabling an account ends its sessions and its API tokens")
    func disabling() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let session = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            let login = try await client.json(
                .post, "/api/v1/auth/login", host: host,
                body: #"{"email":"\#(account.email)","password":"\#(AccountFixtures.password)"}"#)
            let token = try #require(login.jsonObject()?["token"] as? String)
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try AccountStore().disable(tx, id: account.id)
            }
            #expect(
                try await client.get("/mon-compte/mot-de-passe", host: host, cookies: [AccountFixtures.sessionCookie: session])
                    .status == .seeOther)
            #expect(try await client.json(.get, "/api/v1/me", host: host, token: token).status == .unauthorized)
            #expect(try await AccountFixtures.login(client, host: host, email: account.email).status == .unauthorized)
        }
    }
}
