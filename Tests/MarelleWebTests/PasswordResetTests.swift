import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Mot de passe oublié")
struct PasswordResetTests {
    func requestReset(_ client: WebClient, host: String, email: String) async throws -> TestClient.Response {
        let page = try await client.get("/mot-de-passe-oublie", host: host)
        let csrf = try #require(page.hiddenField("_csrf"))
        return try await client.post(
            "/mot-de-passe-oublie", host: host, form: ["email": email, "_csrf": csrf],
            cookies: [AccountFixtures.csrfCookie: try #require(page.setCookies[AccountFixtures.csrfCookie])])
    }

    func choose(_ client: WebClient, host: String, token: String, password: String) async throws -> TestClient.Response {
        let page = try await client.get("/reinitialisation?jeton=\(token)", host: host)
        let csrf = try #require(page.hiddenField("_csrf"))
        return try await client.post(
            "/reinitialisation", host: host,
            form: ["jeton": token, "password": password, "confirmation": password, "_csrf": csrf],
            cookies: [AccountFixtures.csrfCookie: try #require(page.setCookies[AccountFixtures.csrfCookie])])
    }

    @Test("known and unknown addresses get the same status and the same words; only the known one gets a mail")
    func sameAnswer() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let known = try await requestReset(client, host: host, email: account.email)
            let unknown = try await requestReset(client, host: host, email: "inconnu@exemple.fr")
            #expect(known.status == unknown.status)
            #expect(known.text.contains("Si un compte correspond à cette adresse"))
            let strip = { (text: String) in
                text.replacingOccurrences(of: #"value="[A-Za-z0-9_-]{43}""#, with: "", options: .regularExpression)
            }
            #expect(strip(known.text) == strip(unknown.text))
        }
        #expect(try await AccountFixtures.latestMail(tenant, to: account.email)?.kind == "password-reset")
        #expect(try await AccountFixtures.latestMail(tenant, to: "inconnu@exemple.fr") == nil)
    }

    @Test("the reset link works once, ends every session, mails a notice and lifts the lock-out")
    func resetOnce() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let session = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            for _ in 0..<5 {
                _ = try await AccountFixtures.login(client, host: host, email: account.email, password: "mauvais mot de passe !")
            }
            #expect(try await AccountFixtures.holdLockOut(tenant, email: account.email))
            #expect(try await AccountFixtures.login(client, host: host, email: account.email).status == .tooManyRequests)
            // The reset flow still works while the login is locked.
            _ = try await requestReset(client, host: host, email: account.email)
            let token = try AccountFixtures.token(
                in: try #require(try await AccountFixtures.latestMail(tenant, to: account.email)))
            let newPassword = "un tout nouveau mot de passe solide"
            let done = try await choose(client, host: host, token: token, password: newPassword)
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/login?reinitialise=1")
            #expect(try await client.get("/reinitialisation?jeton=\(token)", host: host).status == .gone)
            #expect(
                try await client.get("/mon-compte/mot-de-passe", host: host, cookies: [AccountFixtures.sessionCookie: session])
                    .status == .seeOther)
            // The account's lock is lifted; the address's (the same five failures) runs its course.
            #expect(try await !AccountFixtures.isLocked(tenant, key: "account:\(account.email)"))
            try await AccountFixtures.runOutLock(tenant, key: "ip:127.0.0.1")
            #expect(
                try await AccountFixtures.login(client, host: host, email: account.email, password: newPassword).status
                    == .seeOther)
        }
        #expect(try await AccountFixtures.latestMail(tenant, to: account.email)?.kind == "password-changed")
    }

    @Test("resetting one's own password does not lift the lock that failures against another account put on the address")
    func resetKeepsAddressLock() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let target = try await AccountFixtures.account(in: tenant)
        let guesser = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            for _ in 0..<5 {
                _ = try await AccountFixtures.login(client, host: host, email: target.email, password: "une supposition fausse")
            }
            #expect(try await AccountFixtures.holdLock(tenant, key: "ip:127.0.0.1"))
            _ = try await requestReset(client, host: host, email: guesser.email)
            let token = try AccountFixtures.token(
                in: try #require(try await AccountFixtures.latestMail(tenant, to: guesser.email)))
            let newPassword = "la phrase de passe toute neuve du curieux"
            #expect(try await choose(client, host: host, token: token, password: newPassword).status == .seeOther)
            #expect(try await AccountFixtures.isLocked(tenant, key: "ip:127.0.0.1"))
            // Guessing from this address is still refused, whichever account it aims at.
            #expect(try await AccountFixtures.login(client, host: host, email: target.email).status == .tooManyRequests)
            #expect(
                try await AccountFixtures.login(client, host: host, email: guesser.email, password: newPassword).status
                    == .tooManyRequests)
        }
    }

    @Test("requests in a row send one mail; the page says the same each time")
    func oneMailPerFewMinutes() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            var answers: [String] = []
            for _ in 0..<4 {
                let page = try await requestReset(client, host: host, email: account.email)
                #expect(page.status == .ok)
                answers.append(
                    page.text.replacingOccurrences(of: #"value="[A-Za-z0-9_-]{43}""#, with: "", options: .regularExpression))
            }
            #expect(Set(answers).count == 1)
            #expect(try await AccountFixtures.mails(tenant, to: account.email, kind: "password-reset").count == 1)
            // Past the gap, a new request sends a new link.
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.execute("UPDATE account_links SET created_at = created_at - interval '6 minutes'")
            }
            _ = try await requestReset(client, host: host, email: account.email)
            #expect(try await AccountFixtures.mails(tenant, to: account.email, kind: "password-reset").count == 2)
        }
    }

    @Test("one network address asking for many accounts' resets is held after five an hour")
    func addressThrottled() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            for index in 0..<5 {
                #expect(try await requestReset(client, host: host, email: "personne\(index)@exemple.fr").status == .ok)
            }
            #expect(try await AccountFixtures.holdLock(tenant, key: "reset-ip:127.0.0.1"))
            let held = try await requestReset(client, host: host, email: account.email)
            #expect(held.status == .ok && held.text.contains("Si un compte correspond à cette adresse"))
            #expect(try await AccountFixtures.mails(tenant, to: account.email, kind: "password-reset").isEmpty)
            // Signing in is not the reset's business: the address may still log in.
            #expect(try await AccountFixtures.login(client, host: host, email: account.email).status == .seeOther)
        }
    }

    @Test("a reset link older than 30 minutes no longer works")
    func expired() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            _ = try await requestReset(client, host: host, email: account.email)
            let token = try AccountFixtures.token(
                in: try #require(try await AccountFixtures.latestMail(tenant, to: account.email)))
            // Age the link by 31 minutes rather than waiting for it.
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.execute(
                    "UPDATE account_links SET created_at = created_at - interval '31 minutes', expires_at = expires_at - interval '31 minutes'"
                )
            }
            let page = try await client.get("/reinitialisation?jeton=\(token)", host: host)
            #expect(page.status == .gone)
            #expect(page.text.contains("n'est plus valable"))
            #expect(try await AccountFixtures.login(client, host: host, email: account.email).status == .seeOther)
        }
    }

    @Test("changing one's password asks for the current one and ends the other sessions")
    func change() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let here = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            let elsewhere = try await AccountFixtures.sessionID(client, host: host, email: account.email)
            let page = try await client.get(
                "/mon-compte/mot-de-passe", host: host, cookies: [AccountFixtures.sessionCookie: here])
            let csrf = try #require(page.hiddenField("_csrf"))
            let newPassword = "encore une phrase de passe nouvelle"
            let wrong = try await client.post(
                "/mon-compte/mot-de-passe", host: host,
                form: ["current": "pas le bon", "password": newPassword, "confirmation": newPassword, "_csrf": csrf],
                cookies: [AccountFixtures.sessionCookie: here])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("actuel n&#39;est pas le bon"))
            let ok = try await client.post(
                "/mon-compte/mot-de-passe", host: host,
                form: ["current": AccountFixtures.password, "password": newPassword, "confirmation": newPassword, "_csrf": csrf],
                cookies: [AccountFixtures.sessionCookie: here])
            #expect(ok.status == .ok)
            #expect(ok.text.contains("a été modifié"))
            #expect(
                try await client.get("/mon-compte/mot-de-passe", host: host, cookies: [AccountFixtures.sessionCookie: here])
                    .status == .ok)
            #expect(
                try await client.get("/mon-compte/mot-de-passe", host: host, cookies: [AccountFixtures.sessionCookie: elsewhere])
                    .status == .seeOther)
        }
    }
}
