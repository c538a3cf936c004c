import HTTPTypes
import HummingbirdTesting
import MarelleCore
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("English: chosen by the footer, the account or the browser")
struct LanguageTests {
    static let english: HTTPFields = [.acceptLanguage: "en-GB,en;q=0.9,fr;q=0.5"]

    @Test("Accept-Language parsing: quality, unknown languages, junk")
    func acceptLanguage() {
        #expect(Language.preferred(acceptLanguage: "en-GB,en;q=0.9") == .en)
        #expect(Language.preferred(acceptLanguage: "de-DE,fr;q=0.4,en;q=0.8") == .en)
        #expect(Language.preferred(acceptLanguage: "de-DE,es") == nil)
        #expect(Language.preferred(acceptLanguage: "en;q=0,fr") == .fr)
        #expect(Language.preferred(acceptLanguage: ";;;,q=,\u{0}") == nil)
        #expect(Language.preferred(acceptLanguage: String(repeating: "en,", count: 5000)) == nil)
    }

    @Test("a browser asking for English gets the pages, the errors and a mail in English; French stays the default")
    func browserLanguage() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let french = try await client.get("/login", host: host)
            #expect(french.text.contains("<html lang=\"fr\">"))
            #expect(french.text.contains("Se connecter"))
            #expect(french.headers[.contentLanguage] == "fr")
            let page = try await client.get("/login", host: host, headers: Self.english)
            #expect(page.headers[.contentLanguage] == "en")
            #expect(page.text.contains("<html lang=\"en\">"))
            #expect(page.text.contains("Forgotten password"))
            #expect(page.text.contains(">Français<"))
            #expect(!page.text.contains("Se connecter"))
            // An unknown page and an API problem, in English.
            let missing = try await client.get("/nulle-part", host: host, headers: Self.english)
            #expect(missing.text.contains("does not exist"))
            #expect(missing.text.contains("Page not found"))
            let problem = try await client.get("/api/v1/me", host: host, headers: Self.english)
            #expect(problem.status == .unauthorized)
            #expect(problem.text.contains("Authentication required"))
            // The reset mail asked from an English page is in English.
            let forgot = try await client.get("/mot-de-passe-oublie", host: host, headers: Self.english)
            let csrf = try #require(forgot.hiddenField("_csrf"))
            let sent = try await client.post(
                "/mot-de-passe-oublie", host: host, form: ["email": account.email, "_csrf": csrf],
                cookies: [AccountFixtures.csrfCookie: try #require(forgot.setCookies[AccountFixtures.csrfCookie])],
                headers: Self.english)
            #expect(sent.text.contains("If an account matches this address"))
            let mail = try #require(try await AccountFixtures.latestMail(tenant, to: account.email))
            #expect(mail.subject.contains("resetting your password"))
            #expect(mail.body.hasPrefix("Hello,"))
        }
    }

    @Test("the footer's switch: a link for visitors (no open redirect), a form that the account keeps for signed-in people")
    func footerSwitch() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let chosen = try await client.get("/langue?choix=en&retour=/mot-de-passe-oublie", host: host)
            #expect(chosen.status == .seeOther)
            #expect(chosen.headers[.location] == "/mot-de-passe-oublie")
            let cookie = try #require(chosen.setCookies["marelle_langue"])
            #expect(cookie == "en")
            // The cookie wins over the browser's French.
            let page = try await client.get(
                "/mot-de-passe-oublie", host: host, headers: [.acceptLanguage: "fr"], cookies: ["marelle_langue": cookie])
            #expect(page.text.contains("Send the link"))
            for target in ["//evil.example/x", "https://evil.example", "/\\evil.example", "/a\u{0}b", ""] {
                let refused = try await client.get(
                    "/langue?choix=en&retour=\(WebClient.encode(target))", host: host)
                #expect(refused.headers[.location] == "/", "\(target)")
            }
            #expect(try await client.get("/langue?choix=xx&retour=/", host: host).setCookies["marelle_langue"] == nil)
            // Signed in: the form (CSRF-checked) keeps the choice on the account.
            let session = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            let home = try await client.get("/", host: host, cookies: [AccountFixtures.sessionCookie: session])
            let csrf = try #require(home.hiddenField("_csrf"))
            let forged = try await client.post(
                "/langue", host: host, form: ["choix": "en", "retour": "/"], cookies: [AccountFixtures.sessionCookie: session])
            #expect(forged.status == .forbidden)
            let saved = try await client.post(
                "/langue", host: host, form: ["choix": "en", "retour": "/mon-compte", "_csrf": csrf],
                cookies: [AccountFixtures.sessionCookie: session])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/mon-compte")
            let runtime = try await TestEnvironment.runtime()
            let stored = try await runtime.database.withTenant(try tenant.scope()) { tx in
                try AccountStore().find(tx, id: account.id)?.language
            }
            #expect(stored == .en)
            // On another device the next sign-in brings the account's language along.
            let again = try await AccountFixtures.login(client, host: host, email: account.email)
            #expect(again.setCookies["marelle_langue"] == "en")
        }
    }
}
