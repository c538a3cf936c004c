import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

/// Staff accounts with an authenticator, and the codes their app would show.
enum SecondFactorFixtures {
    /// A staff account whose authenticator is on (enrolled through the use case), the app
    /// that reads it, and its recovery codes.
    static func enrolled(in tenant: Tenant, role: Role = .direction) async throws -> (Account, TOTP, [String]) {
        let runtime = try await TestEnvironment.runtime()
        let account = try await AccountFixtures.account(in: tenant, role: role)
        let enrolment = try await runtime.secondFactors.begin(tenant: tenant, account: account)
        let app = try app(enrolment.secret)
        let codes = try await runtime.secondFactors.confirm(
            tenant: tenant, account: account, code: app.code(at: Date()), ip: nil
        ).get()
        return (account, app, codes)
    }

    /// The app set up with a secret as the pages and the API show it (base32, maybe grouped).
    static func app(_ secret: String) throws -> TOTP {
        TOTP(secret: try #require(Base32.decode(secret)))
    }

    /// The next step's code: the current one has been used by the enrolment (the drift
    /// window lets the app be one step ahead), so no test waits for the clock.
    static func nextCode(_ app: TOTP, after steps: Int64 = 1) -> String {
        app.code(step: TOTP.step(at: Date()) + steps)
    }

    /// The text of `<code class="secret">` on an enrolment page.
    static func secret(in page: TestClient.Response) throws -> String {
        let text = page.text
        let start = try #require(text.range(of: "<code class=\"secret\">"))
        let end = try #require(text.range(of: "</code>", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// The recovery codes listed on a page.
    static func recoveryCodes(in page: TestClient.Response) -> [String] {
        page.text.components(separatedBy: "<li><code>").dropFirst().compactMap { $0.components(separatedBy: "</code>").first }
    }

    /// The login form posted with a right password: the second step's page and the cookies
    /// its form goes with.
    static func password(_ client: WebClient, host: String, email: String) async throws -> (
        TestClient.Response, [String: String]
    ) {
        let page = try await client.get("/login", host: host)
        let csrf = try #require(page.hiddenField("_csrf"))
        let cookies = [AccountFixtures.csrfCookie: page.setCookies[AccountFixtures.csrfCookie] ?? csrf]
        let step = try await client.post(
            "/login", host: host, form: ["email": email, "password": AccountFixtures.password, "_csrf": csrf], cookies: cookies)
        return (step, cookies)
    }

    /// Posts the second step's form (`/login/code` or `/login/activation`) with `code`.
    static func second(
        _ client: WebClient, host: String, step: TestClient.Response, cookies: [String: String], code: String,
        action: String = "/login/code"
    ) async throws -> TestClient.Response {
        let form = [
            "_csrf": try #require(step.hiddenField("_csrf")), "challenge": try #require(step.hiddenField("challenge")),
            "suite": "/", "code": code,
        ]
        return try await client.post(action, host: host, form: form, cookies: cookies)
    }

    static func loginBody(_ email: String, code: String? = nil) -> String {
        let extra = code.map { #","code":"\#($0)""# } ?? ""
        return #"{"email":"\#(email)","password":"\#(AccountFixtures.password)"\#(extra)}"#
    }
}
