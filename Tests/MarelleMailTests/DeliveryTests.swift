import Foundation
import Logging
import MarelleMail
import MarelleTestSupport
import Testing

/// Delivery to the real SMTP server that `make test` starts on loopback (aiosmtpd, Maildir).
@Suite("Outbox delivery over SMTP")
struct DeliveryTests {
    static var port: Int { Int(ProcessInfo.processInfo.environment["MARELLE_TEST_SMTP_PORT"] ?? "") ?? 0 }
    static var maildir: String { ProcessInfo.processInfo.environment["MARELLE_TEST_MAILDIR"] ?? "/nonexistent" }

    func worker(port: Int = Self.port) async throws -> MailDeliveryWorker {
        let runtime = try await TestEnvironment.runtime()
        let settings = SMTPSettings(host: "127.0.0.1", port: port, security: .none, timeoutSeconds: 30)
        return MailDeliveryWorker(
            database: runtime.database, tenants: runtime.tenants, mode: .smtp(SMTPClient(settings: settings)),
            from: "Portail Familles <no-reply@exemple.fr>", messageIDDomain: "test.localhost", logger: Logger(label: "test"))
    }

    /// Raw messages in the Maildir whose Message-ID names this tenant's outbox.
    func delivered(_ tenant: Tenant) throws -> [String] {
        let folder = Self.maildir + "/new"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return try names.map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
            .filter { $0.contains("outbox-\(tenant.schemaName)-") }
    }

    func enqueue(_ tenant: Tenant, count: Int) async throws {
        let runtime = try await TestEnvironment.runtime()
        try await runtime.database.withTenant(try tenant.scope()) { tx in
            for i in 1...count {
                try OutboxStore().enqueue(
                    tx, kind: "test", to: "parent\(i)@exemple.fr", subject: "Message n°\(i) — été", body: "Corps \(i)\n.")
            }
        }
    }

    func statuses(_ tenant: Tenant) async throws -> [String] {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try OutboxStore().latest(tx).map(\.status)
        }
    }

    @Test("committed mails reach the relay once each, with their subject, and are marked sent")
    func deliversOnce() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        try await enqueue(tenant, count: 3)
        let worker = try await worker()
        #expect(try await worker.deliverDue(for: tenant) == 3)
        #expect(try await worker.deliverDue(for: tenant) == 0)
        let mails = try delivered(tenant)
        #expect(mails.count == 3)
        #expect(mails.contains { $0.contains("=?UTF-8?B?") && $0.contains("parent2@exemple.fr") })
        #expect(try await statuses(tenant) == ["sent", "sent", "sent"])
        let attempts = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try tx.queryOne("SELECT count(*) AS n FROM outbox_attempts WHERE succeeded").decode("n", as: Int.self)
        }
        #expect(attempts == 3)
    }

    @Test("two workers running at once never send a mail twice")
    func concurrentWorkers() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        try await enqueue(tenant, count: 12)
        let a = try await worker()
        let b = try await worker()
        async let first = a.deliverDue(for: tenant)
        async let second = b.deliverDue(for: tenant)
        let total = try await first + second
        #expect(total == 12)
        let ids = try delivered(tenant).compactMap { mail in
            mail.split(separator: "\n").first { $0.hasPrefix("Message-ID:") }.map(String.init)
        }
        #expect(ids.count == 12)
        #expect(Set(ids).count == 12)
    }

    @Test("while the relay is down nothing is lost: the attempt is recorded and retried later, once")
    func relayDown() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        try await enqueue(tenant, count: 1)
        // A port nobody listens on: connection refused.
        let closed = try await worker(port: 1)
        #expect(try await closed.deliverDue(for: tenant) == 0)
        let runtime = try await TestEnvironment.runtime()
        let state = try await runtime.database.withTenant(try tenant.scope()) { tx in
            try tx.queryOne("SELECT status, attempts, next_attempt_at > now() AS later, last_error FROM outbox")
        }
        #expect(try state.decode("status", as: String.self) == "pending")
        #expect(try state.decode("attempts", as: Int.self) == 1)
        #expect(try state.decode("later", as: Bool.self))
        #expect(try state.decode("last_error", as: String?.self)?.isEmpty == false)
        // Not due yet: the working relay is not even tried.
        let working = try await worker()
        #expect(try await working.deliverDue(for: tenant) == 0)
        // Time passes (rather than sleeping, move the retry to now).
        try await runtime.database.withTenant(try tenant.scope()) { tx in
            try tx.execute("UPDATE outbox SET next_attempt_at = now()")
        }
        let sent = try await working.deliverDue(for: tenant)
        let lastError: String? = try await runtime.database.withTenant(try tenant.scope()) { tx in
            try tx.queryOne("SELECT last_error FROM outbox").decode("last_error")
        }
        #expect(sent == 1, "last error: \(lastError ?? "none")")
        #expect(try await working.deliverDue(for: tenant) == 0)
        #expect(try delivered(tenant).count == 1)
    }

    @Test("a mail committed by a request whose process then died is delivered by the next worker, once")
    func crashBetweenCommitAndDelivery() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let runtime = try await TestEnvironment.runtime()
        // The request commits its change and its mail; the process dies before any worker runs.
        try await runtime.invitations.invite(
            tenant: tenant, email: "survivant@exemple.fr", role: .parent, familyName: "Survie", by: .system)
        // A worker that claimed the row and died mid-send rolls back: simulate with a transaction
        // that claims and then fails.
        struct Crash: Error {}
        await #expect(throws: Crash.self) {
            try await runtime.database.withTenant(try tenant.scope()) { tx in
                #expect(try OutboxStore().claimDue(tx, limit: 10).count == 1)
                throw Crash()
            }
        }
        #expect(try await statuses(tenant) == ["pending"])
        let restarted = try await worker()
        // This tenant only: a sweep of every tenant would also deliver the mails that other
        // tests, running at the same time, are holding back on purpose.
        #expect(try await restarted.deliverDue(for: tenant) == 1)
        #expect(try await restarted.deliverDue(for: tenant) == 0)
        let mails = try delivered(tenant)
        #expect(mails.count == 1)
        #expect(mails.first?.contains("survivant@exemple.fr") == true)
    }

    @Test("capture mode sends nothing and marks mails captured")
    func capture() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        try await enqueue(tenant, count: 2)
        let runtime = try await TestEnvironment.runtime()
        let worker = MailDeliveryWorker(
            database: runtime.database, tenants: runtime.tenants, mode: .capture, from: "a <a@b.fr>", messageIDDomain: "x",
            logger: Logger(label: "test"))
        #expect(try await worker.deliverDue(for: tenant) == 2)
        #expect(try await statuses(tenant) == ["captured", "captured"])
        #expect(try delivered(tenant).isEmpty)
    }
}

/// The relay as production has it: STARTTLS required, certificate checked, AUTH PLAIN.
@Suite("SMTP with STARTTLS and AUTH")
struct TLSDeliveryTests {
    static let env = ProcessInfo.processInfo.environment
    static var port: Int { Int(env["MARELLE_TEST_SMTP_TLS_PORT"] ?? "") ?? 0 }

    func settings(password: String = "relay secret", caFile: String? = env["MARELLE_TEST_SMTP_CA"], host: String = "localhost")
        -> SMTPSettings
    {
        // Relays delay their answer to a failed AUTH (aiosmtpd too): allow for it.
        SMTPSettings(
            host: host, port: Self.port, security: .required, username: "marelle", password: password, caFile: caFile,
            timeoutSeconds: 30)
    }

    func message(_ id: String) -> MIMEMessage {
        MIMEMessage(
            from: "Portail <no-reply@exemple.fr>", to: "parent@exemple.fr", subject: "Chiffré", body: "Bonjour", messageID: id)
    }

    func delivered(_ id: String) -> Bool {
        let folder = (Self.env["MARELLE_TEST_MAILDIR_TLS"] ?? "/nonexistent") + "/new"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.contains { (try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8))?.contains(id) == true }
    }

    @Test("a message goes through STARTTLS with a verified certificate and AUTH")
    func tlsAndAuth() throws {
        let id = "tls-\(UUID().uuidString)@test"
        try SMTPClient(settings: settings()).send(message(id))
        #expect(delivered(id))
    }

    @Test("a wrong password is a permanent refusal, and nothing is delivered")
    func wrongPassword() throws {
        let id = "badauth-\(UUID().uuidString)@test"
        let error = try #require(throws: SMTPError.self) {
            try SMTPClient(settings: settings(password: "nope")).send(message(id))
        }
        #expect(error.isPermanent)
        #expect(!error.description.contains("nope"))
        #expect(!delivered(id))
    }

    @Test("an untrusted certificate, or one for another name, stops the conversation before any secret is sent")
    func untrusted() throws {
        let system = try #require(throws: SMTPError.self) {
            try SMTPClient(settings: settings(caFile: nil)).send(message("x@test"))
        }
        #expect(system.description.contains("TLS handshake"))
        let wrongName = try #require(throws: SMTPError.self) {
            try SMTPClient(settings: settings(host: "127.0.0.1")).send(message("y@test"))
        }
        #expect(wrongName.description.contains("TLS handshake"))
    }

    @Test("TLS required but not offered: refused without sending")
    func notOffered() throws {
        let plainPort = Int(Self.env["MARELLE_TEST_SMTP_PORT"] ?? "") ?? 0
        let plain = SMTPSettings(host: "127.0.0.1", port: plainPort, security: .required, timeoutSeconds: 30)
        let error = try #require(throws: SMTPError.self) { try SMTPClient(settings: plain).send(message("z@test")) }
        #expect(error.description.contains("does not offer STARTTLS"))
    }
}
