import Dispatch
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import Testing

@testable import MarelleAuth

@Suite("Session limits, headers and the bounded hasher over HTTP")
struct SessionLimitsTests {
    func age(_ tenant: Tenant, _ sql: String) async throws {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in try tx.execute(.unsafeRaw(sql)) }
    }

    @Test(
        "a session idle for more than 30 minutes, or older than 12 hours, is over",
        arguments: [
            "UPDATE sessions SET last_seen_at = now() - interval '31 minutes'",
            "UPDATE sessions SET expires_at = now() - interval '1 second'",
        ])
    func expiry(aging: String) async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let session = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            #expect(
                try await client.get("/mon-compte/mot-de-passe", host: host, cookies: [AccountFixtures.sessionCookie: session])
                    .status == .ok)
            try await age(tenant, aging)
            let after = try await client.get(
                "/mon-compte/mot-de-passe", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(after.status == .seeOther)
            #expect(after.headers[.location] == "/login?suite=%2Fmon%2Dcompte%2Fmot%2Dde%2Dpasse")
        }
    }

    @Test("a session seen 29 minutes ago is still alive, and using it resets the idle clock")
    func idleClock() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let session = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            try await age(tenant, "UPDATE sessions SET last_seen_at = now() - interval '29 minutes'")
            #expect(
                try await client.get("/", host: host, cookies: [AccountFixtures.sessionCookie: session]).text.contains(
                    "Vous êtes connecté"))
            try await age(tenant, "UPDATE sessions SET last_seen_at = last_seen_at - interval '29 minutes'")
            #expect(
                try await client.get("/", host: host, cookies: [AccountFixtures.sessionCookie: session]).text.contains(
                    "Vous êtes connecté"))
        }
    }

    @Test("personal pages are never cached; outside development the browser is held to HTTPS and the cookie is __Host-")
    func headersAndCookies() async throws {
        var configuration = TestEnvironment.configuration()
        configuration.development = false
        configuration.mail.mode = "smtp"
        let runtime = try Runtime(configuration: configuration)
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with(runtime: runtime) { client in
            let page = try await client.get("/login", host: host)
            #expect(page.headers[.strictTransportSecurity]?.contains("max-age=") == true)
            #expect(page.headers[.cacheControl] == "no-store")
            let csrfHeader = try #require(page.headers[values: .setCookie].first)
            #expect(csrfHeader.hasPrefix("__Host-marelle_csrf="))
            #expect(csrfHeader.contains("Secure"))
            #expect(csrfHeader.contains("Path=/"))
            #expect(!csrfHeader.contains("Domain"))
            #expect(try await client.get("/_dev/mail", host: host).status == .notFound)
            let csrf = try #require(page.hiddenField("_csrf"))
            let login = try await client.post(
                "/login", host: host, form: ["email": account.email, "password": AccountFixtures.password, "_csrf": csrf],
                cookies: ["__Host-marelle_csrf": try #require(page.setCookies["__Host-marelle_csrf"])])
            let session = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("__Host-marelle_session=") })
            #expect(session.contains("Secure") && session.contains("HttpOnly") && session.contains("SameSite=Lax"))
            let id = try #require(login.setCookies["__Host-marelle_session"])
            let home = try await client.get("/", host: host, cookies: ["__Host-marelle_session": id])
            #expect(home.headers[.cacheControl] == "no-store")
        }
        await runtime.shutdown()
    }

    @Test("links in mails name the tenant's registered host, whatever Host the request came with")
    func linkHost() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant()
        let account = try await AccountFixtures.account(in: tenant)
        let extra = "portail-\(tenant.id).mairie.fr"
        _ = try await runtime.tenants.addHost(slug: tenant.slug, host: extra, operator: "t")
        try await WebTestServer.with { client in
            let page = try await client.get("/mot-de-passe-oublie", host: extra)
            let csrf = try #require(page.hiddenField("_csrf"))
            _ = try await client.post(
                "/mot-de-passe-oublie", host: extra, form: ["email": account.email, "_csrf": csrf],
                cookies: [AccountFixtures.csrfCookie: try #require(page.setCookies[AccountFixtures.csrfCookie])],
                headers: [HTTPField.Name("Sec-Fetch-Site")!: "same-origin", HTTPField.Name("X-Forwarded-Host")!: "evil.example"])
        }
        let mail = try #require(try await AccountFixtures.latestMail(tenant, to: account.email))
        #expect(mail.body.contains("https://\(tenant.slug).localhost/reinitialisation?jeton="))
        #expect(!mail.body.contains("evil") && !mail.body.contains(extra))
    }

    @Test("when every Argon2 slot is taken, a login gets 503 with Retry-After at once, not a queue that grows")
    func argon2Burst() async throws {
        let hasher = try PasswordHasher(threads: 1, queueLimit: 0)
        let runtime = try Runtime(configuration: TestEnvironment.configuration(poolSize: 4), hasher: hasher)
        let tenant = try await TestEnvironment.makeTenant()
        let gate = DispatchSemaphore(value: 0)
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let occupant = Task {
            try await hasher.admit {
                startedContinuation.yield(); gate.wait()
            }
        }
        for await _ in started { break }
        try await WebTestServer.with(runtime: runtime, expecting: [503]) { client in
            let api = try await client.json(
                .post, "/api/v1/auth/login", host: "\(tenant.slug).localhost",
                body: #"{"email":"a@b.fr","password":"whatever it is"}"#)
            #expect(api.status == .serviceUnavailable)
            #expect(api.headers[.retryAfter] == "2")
            #expect(api.headers[.contentType] == "application/problem+json")
        }
        gate.signal()
        try await occupant.value as Void
        await runtime.shutdown()
    }
}
