import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Staff's second factor")
struct SecondFactorTests {
    @Test("a director turns it on from her account page; the next sign-in asks the code; a code serves once")
    func pages() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let director = try await AccountFixtures.account(in: tenant, role: .direction)
        try await WebTestServer.with { client in
            let cookies = [
                AccountFixtures.sessionCookie: try await AccountFixtures.sessionID(client, host: host, email: director.email)
            ]
            let account = try await client.get("/mon-compte/double-authentification", host: host, cookies: cookies)
            #expect(account.status == .ok)
            #expect(account.text.contains("Activer la double authentification"))
            let csrf = try #require(account.hiddenField("_csrf"))
            let enrol = try await client.post(
                "/mon-compte/double-authentification/activation", host: host, form: ["_csrf": csrf], cookies: cookies)
            #expect(enrol.status == .ok)
            #expect(enrol.text.contains("<svg"))
            let app = try SecondFactorFixtures.app(try SecondFactorFixtures.secret(in: enrol))
            let wrong = try await client.post(
                "/mon-compte/double-authentification/confirmation", host: host, form: ["_csrf": csrf, "code": "000000"],
                cookies: cookies)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("pas le bon"))
            // The page shown again after a wrong code keeps the secret already scanned.
            #expect(try SecondFactorFixtures.secret(in: wrong) == SecondFactorFixtures.secret(in: enrol))
            let confirmed = try await client.post(
                "/mon-compte/double-authentification/confirmation", host: host,
                form: ["_csrf": csrf, "code": app.code(at: Date())], cookies: cookies)
            #expect(confirmed.status == .ok)
            let recovery = SecondFactorFixtures.recoveryCodes(in: confirmed)
            #expect(recovery.count == 10)
            #expect(confirmed.text.contains("Continuer"))

            // Password alone: no session yet, the code page.
            let (step, loginCookies) = try await SecondFactorFixtures.password(client, host: host, email: director.email)
            #expect(step.status == .ok)
            #expect(step.setCookies[AccountFixtures.sessionCookie] == nil)
            #expect(step.text.contains("Code de vérification"))
            let code = SecondFactorFixtures.nextCode(app)
            let signedIn = try await SecondFactorFixtures.second(
                client, host: host, step: step, cookies: loginCookies, code: code)
            #expect(signedIn.status == .seeOther)
            let session = try #require(signedIn.setCookies[AccountFixtures.sessionCookie])
            let home = try await client.get(
                "/gestion/a-traiter", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(home.status == .ok)

            // The same code again (a replay, or a code seen over a shoulder): refused.
            let (again, againCookies) = try await SecondFactorFixtures.password(client, host: host, email: director.email)
            let replay = try await SecondFactorFixtures.second(client, host: host, step: again, cookies: againCookies, code: code)
            #expect(replay.status == .unauthorized)
            #expect(replay.setCookies[AccountFixtures.sessionCookie] == nil)
            // A recovery code works, once.
            let rescued = try await SecondFactorFixtures.second(
                client, host: host, step: replay, cookies: againCookies, code: recovery[3].uppercased())
            #expect(rescued.status == .seeOther)
            #expect(rescued.setCookies[AccountFixtures.sessionCookie] != nil)
            let (third, thirdCookies) = try await SecondFactorFixtures.password(client, host: host, email: director.email)
            let spent = try await SecondFactorFixtures.second(
                client, host: host, step: third, cookies: thirdCookies, code: recovery[3])
            #expect(spent.status == .unauthorized)
            let status = try await client.get("/mon-compte/double-authentification", host: host, cookies: cookies)
            #expect(status.text.contains("Codes de secours restants : 9"))
        }
        let actions = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try AuditLog().latest(tx).map(\.action)
        }
        #expect(actions.contains("second_factor.enrol"))
        #expect(actions.contains("login.second_factor_failure"))
    }

    @Test("through the API: enrol, sign in with the code in the login or after it, new recovery codes, removal")
    func api() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let staff = try await AccountFixtures.account(in: tenant, role: .animateur)
        try await WebTestServer.with { client in
            let first = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(staff.email))
            let token = try #require(first.jsonObject()?["token"] as? String)
            let off = try await client.json(.get, "/api/v1/me/second-factor", host: host, token: token)
            #expect(off.jsonObject()?["enabled"] as? Bool == false)
            #expect(off.jsonObject()?["available"] as? Bool == true)
            let begun = try await client.json(.post, "/api/v1/me/second-factor", host: host, token: token)
            #expect(begun.status == .ok)
            let secret = try #require(begun.jsonObject()?["secret"] as? String)
            #expect((begun.jsonObject()?["uri"] as? String)?.hasPrefix("otpauth://totp/") == true)
            let app = try SecondFactorFixtures.app(secret)
            let bad = try await client.json(
                .post, "/api/v1/me/second-factor/confirmation", host: host, body: #"{"code":"12"}"#, token: token)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.headers[.contentType] == "application/problem+json")
            let confirmed = try await client.json(
                .post, "/api/v1/me/second-factor/confirmation", host: host, body: #"{"code":"\#(app.code(at: Date()))"}"#,
                token: token)
            #expect(confirmed.status == .created)
            let codes = try #require(confirmed.jsonObject()?["recoveryCodes"] as? [String])
            #expect(codes.count == 10)

            // The password alone: 401 with a challenge, then the code.
            let pending = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(staff.email))
            #expect(pending.status == .unauthorized)
            #expect(pending.jsonObject()?["type"] as? String == "urn:marelle:problem:second-factor-required")
            let challenge = try #require(pending.jsonObject()?["challenge"] as? String)
            let wrong = try await client.json(
                .post, "/api/v1/auth/second-factor", host: host, body: #"{"challenge":"\#(challenge)","code":"000000"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.jsonObject()?["type"] as? String == "urn:marelle:problem:second-factor-wrong-code")
            let done = try await client.json(
                .post, "/api/v1/auth/second-factor", host: host,
                body: #"{"challenge":"\#(challenge)","code":"\#(SecondFactorFixtures.nextCode(app))"}"#)
            #expect(done.status == .created)
            #expect(done.jsonObject()?["token"] is String)
            // The challenge is spent.
            let reused = try await client.json(
                .post, "/api/v1/auth/second-factor", host: host, body: #"{"challenge":"\#(challenge)","code":"\#(codes[0])"}"#)
            #expect(reused.status == .unauthorized)
            #expect(reused.jsonObject()?["type"] as? String == "urn:marelle:problem:second-factor-expired")
            // In one call: password and a recovery code.
            let oneCall = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(staff.email, code: codes[1]))
            #expect(oneCall.status == .created)
            let renewed = try await client.json(
                .post, "/api/v1/me/second-factor/recovery-codes", host: host, body: #"{"code":"\#(codes[2])"}"#, token: token)
            #expect(renewed.status == .created)
            let fresh = try #require(renewed.jsonObject()?["recoveryCodes"] as? [String])
            #expect(Set(fresh).isDisjoint(with: codes))
            let stale = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(staff.email, code: codes[4]))
            #expect(stale.status == .unauthorized)
            let removed = try await client.json(
                .post, "/api/v1/me/second-factor/removal", host: host, body: #"{"code":"\#(fresh[0])"}"#, token: token)
            #expect(removed.status == .noContent)
            let plain = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(staff.email))
            #expect(plain.status == .created)
        }
    }

    @Test("when the direction requires it: her own factor first; staff without one enrol at sign-in; parents are untouched")
    func mandatory() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let (director, app, _) = try await SecondFactorFixtures.enrolled(in: tenant)
        let bare = try await AccountFixtures.account(in: tenant, role: .direction)
        let animateur = try await AccountFixtures.account(in: tenant, role: .animateur)
        let latecomer = try await AccountFixtures.account(in: tenant, role: .animateur)
        let parent = try await AccountFixtures.account(in: tenant)
        try await WebTestServer.with { client in
            let animateurSession = try await AccountFixtures.sessionID(client, host: host, email: animateur.email)
            let animateurToken = try #require(
                try await client.json(
                    .post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(animateur.email)
                )
                .jsonObject()?["token"] as? String)
            let bareToken = try #require(
                try await client.json(.post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(bare.email))
                    .jsonObject()?["token"] as? String)
            let refused = try await client.json(
                .put, "/api/v1/association/second-factor", host: host, body: #"{"required":true}"#, token: bareToken)
            #expect(refused.status == .conflict)
            let notDirection = try await client.json(
                .put, "/api/v1/association/second-factor", host: host, body: #"{"required":true}"#, token: animateurToken)
            #expect(notDirection.status == .forbidden)

            let directorToken = try #require(
                try await client.json(
                    .post, "/api/v1/auth/login", host: host,
                    body: SecondFactorFixtures.loginBody(director.email, code: SecondFactorFixtures.nextCode(app))
                )
                .jsonObject()?["token"] as? String)
            let set = try await client.json(
                .put, "/api/v1/association/second-factor", host: host, body: #"{"required":true}"#, token: directorToken)
            #expect(set.status == .ok)
            // Staff without a factor are signed out everywhere; the director is not.
            #expect(try await client.json(.get, "/api/v1/me", host: host, token: animateurToken).status == .unauthorized)
            #expect(try await client.json(.get, "/api/v1/me", host: host, token: directorToken).status == .ok)
            let page = try await client.get(
                "/gestion/a-traiter", host: host, cookies: [AccountFixtures.sessionCookie: animateurSession])
            #expect(page.status == .seeOther)
            // The director cannot drop her own factor while the rule holds.
            let drop = try await client.json(
                .post, "/api/v1/me/second-factor/removal", host: host, body: #"{"code":"000000"}"#, token: directorToken)
            #expect(drop.status == .conflict)

            // An animateur signs in through the API: an enrolment, then a token and recovery codes.
            let enrolFirst = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(animateur.email))
            #expect(enrolFirst.status == .forbidden)
            #expect(enrolFirst.jsonObject()?["type"] as? String == "urn:marelle:problem:second-factor-enrolment-required")
            let challenge = try #require(enrolFirst.jsonObject()?["challenge"] as? String)
            let enrolment = try await client.json(
                .post, "/api/v1/auth/enrolment", host: host, body: #"{"challenge":"\#(challenge)"}"#)
            let secret = try #require(enrolment.jsonObject()?["secret"] as? String)
            let newApp = try SecondFactorFixtures.app(secret)
            let enrolled = try await client.json(
                .post, "/api/v1/auth/enrolment/confirmation", host: host,
                body: #"{"challenge":"\#(challenge)","code":"\#(newApp.code(at: Date()))"}"#)
            #expect(enrolled.status == .created)
            #expect((enrolled.jsonObject()?["recoveryCodes"] as? [String])?.count == 10)
            #expect(enrolled.jsonObject()?["token"] is String)

            // Another one through the pages: the enrolment page, then the recovery codes and a session.
            let (step, cookies) = try await SecondFactorFixtures.password(client, host: host, email: latecomer.email)
            #expect(step.status == .ok)
            #expect(step.text.contains("Activer la double authentification"))
            #expect(step.text.contains("<svg"))
            let pageApp = try SecondFactorFixtures.app(try SecondFactorFixtures.secret(in: step))
            let codesPage = try await SecondFactorFixtures.second(
                client, host: host, step: step, cookies: cookies, code: pageApp.code(at: Date()), action: "/login/activation")
            #expect(codesPage.status == .ok)
            #expect(SecondFactorFixtures.recoveryCodes(in: codesPage).count == 10)
            #expect(codesPage.setCookies[AccountFixtures.sessionCookie] != nil)

            // Parents sign in with their password alone.
            let parentLogin = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(parent.email))
            #expect(parentLogin.status == .created)
            let parentToken = try #require(parentLogin.jsonObject()?["token"] as? String)
            #expect(try await client.json(.post, "/api/v1/me/second-factor", host: host, token: parentToken).status == .forbidden)
            #expect(try await client.json(.get, "/api/v1/me/second-factor", host: host, token: parentToken).status == .forbidden)
        }
    }

    @Test(
        "wrong codes: five spend the challenge and lock the account; a challenge is worth nothing elsewhere; odd input is refused"
    )
    func refusals() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let other = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let (staff, app, _) = try await SecondFactorFixtures.enrolled(in: tenant, role: .animateur)
        try await WebTestServer.with { client in
            let pending = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: SecondFactorFixtures.loginBody(staff.email))
            let challenge = try #require(pending.jsonObject()?["challenge"] as? String)
            // The other association does not know this challenge.
            let elsewhere = try await client.json(
                .post, "/api/v1/auth/second-factor", host: "\(other.slug).localhost",
                body: #"{"challenge":"\#(challenge)","code":"\#(SecondFactorFixtures.nextCode(app))"}"#)
            #expect(elsewhere.status == .unauthorized)
            #expect(elsewhere.jsonObject()?["type"] as? String == "urn:marelle:problem:second-factor-expired")
            for body in [
                #"{"challenge":"'; DROP TABLE accounts; --","code":"123456"}"#,
                #"{"challenge":"\#(challenge)","code":"\#(String(repeating: "9", count: 5000))"}"#,
                #"{"challenge":"\#(challenge)","code":"12\u0000456"}"#, #"{"challenge":17}"#, #"{"challenge":"\#(challenge)"}"#,
                "[]",
            ] {
                let answer = try await client.json(.post, "/api/v1/auth/second-factor", host: host, body: body)
                #expect((400..<500).contains(Int(answer.status.code)), "\(body.prefix(40))")
                #expect(answer.headers[.contentType] == "application/problem+json")
            }
            var last = 0
            for _ in 0..<6 {
                let answer = try await client.json(
                    .post, "/api/v1/auth/second-factor", host: host, body: #"{"challenge":"\#(challenge)","code":"000000"}"#)
                last = Int(answer.status.code)
            }
            #expect(last == 401 || last == 429)
            #expect(try await AccountFixtures.isLocked(tenant, key: "account:\(staff.email)"))
            // Even the right code no longer opens this challenge.
            let late = try await client.json(
                .post, "/api/v1/auth/second-factor", host: host,
                body: #"{"challenge":"\#(challenge)","code":"\#(SecondFactorFixtures.nextCode(app))"}"#)
            #expect(late.status != .created)
            for path in ["/login/code", "/login/activation"] {
                let page = try await client.get("/login", host: host)
                let csrf = try #require(page.hiddenField("_csrf"))
                let answer = try await client.post(
                    path, host: host, form: ["_csrf": csrf, "challenge": "nope", "code": "123456"],
                    cookies: [AccountFixtures.csrfCookie: page.setCookies[AccountFixtures.csrfCookie] ?? csrf])
                #expect(answer.status == .unauthorized)
                #expect(answer.text.contains("connectez-vous à nouveau"))
            }
        }
    }
}
