import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

/// Accounts made the way the product makes them (an invitation), with a password set.
enum AccountFixtures {
    static let password = "une longue phrase de passe pour les tests"
    static let sessionCookie = "marelle_session"
    static let csrfCookie = "marelle_csrf"

    static func account(in tenant: Tenant, role: Role = .parent, email: String? = nil) async throws -> Account {
        let runtime = try await TestEnvironment.runtime()
        let address = email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8).lowercased())@exemple.fr"
        let (account, _) = try await runtime.invitations.invite(
            tenant: tenant, email: address, role: role, familyName: role == .parent ? "Famille Test" : nil, by: .system)
        let hash = try await runtime.hasher.hash(password)
        try await runtime.database.withTenant(try tenant.scope()) { tx in
            try AccountStore().setPassword(tx, id: account.id, hash: hash)
        }
        return account
    }

    /// Signs in through the login page; returns the session cookie value.
    static func login(_ client: WebClient, host: String, email: String, password: String = password) async throws
        -> TestClient.Response
    {
        let page = try await client.get("/login", host: host)
        let csrf = try #require(page.hiddenField("_csrf"))
        let cookie = page.setCookies[csrfCookie] ?? csrf
        return try await client.post(
            "/login", host: host, form: ["email": email, "password": password, "_csrf": csrf], cookies: [csrfCookie: cookie])
    }

    static func sessionID(_ client: WebClient, host: String, email: String) async throws -> String {
        let response = try await login(client, host: host, email: email)
        #expect(response.status == .seeOther)
        return try #require(response.setCookies[sessionCookie])
    }

    /// Whether the account's sign-in is locked by the throttle (the failures set a lock), and
    /// holds that lock for ten minutes: the first lock lasts 2 s, less than a loaded test run
    /// may take between two requests, and the checks that follow must not depend on timing.
    static func holdLockOut(_ tenant: Tenant, email: String) async throws -> Bool {
        try await holdLock(tenant, key: "account:\(email)")
    }

    /// The same for any throttle key (`ip:127.0.0.1`, the test client's address).
    static func holdLock(_ tenant: Tenant, key: String) async throws -> Bool {
        let runtime = try await TestEnvironment.runtime()
        return try await runtime.database.withTenant(try tenant.scope()) { tx in
            try tx.execute(
                """
                UPDATE login_throttle SET locked_until = now() + interval '10 minutes'
                WHERE key = \(key) AND locked_until IS NOT NULL
                """) == 1
        }
    }

    /// Lets a lock run out now, as it would after its delay.
    static func runOutLock(_ tenant: Tenant, key: String) async throws {
        let runtime = try await TestEnvironment.runtime()
        try await runtime.database.withTenant(try tenant.scope()) { tx in
            try tx.execute("UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = \(key)")
        }
    }

    /// Whether a lock on `key` is in force.
    static func isLocked(_ tenant: Tenant, key: String) async throws -> Bool {
        let runtime = try await TestEnvironment.runtime()
        return try await runtime.database.withTenant(try tenant.scope()) { tx in
            try ThrottleStore().retryAfter(tx, keys: [key]) > 0
        }
    }

    /// Every mail queued for `to`, of `kind`.
    static func mails(_ tenant: Tenant, to: String, kind: String) async throws -> [OutboxStore.Message] {
        let runtime = try await TestEnvironment.runtime()
        return try await runtime.database.withTenant(try tenant.scope()) { tx in
            try OutboxStore().latest(tx).filter { $0.to == to && $0.kind == kind }
        }
    }

    static func latestMail(_ tenant: Tenant, to: String) async throws -> OutboxStore.Message? {
        let runtime = try await TestEnvironment.runtime()
        return try await runtime.database.withTenant(try tenant.scope()) { tx in
            try OutboxStore().latest(tx).first { $0.to == to }
        }
    }

    /// The `jeton` of the first link in a mail.
    static func token(in mail: OutboxStore.Message) throws -> String {
        let range = try #require(mail.body.range(of: "jeton="))
        return String(mail.body[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }
}
