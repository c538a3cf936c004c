import Logging
import MarelleApp
import MarelleCore
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("Housekeeping: expired sessions, used links and old throttle rows are purged, live ones kept")
struct HousekeepingTests {
    @Test("one pass purges what no one can use in every association and keeps what still works")
    func purgesExpiredKeepsLive() async throws {
        let runtime = try await TestEnvironment.runtime()
        let a = try await TestEnvironment.makeTenant(name: "A")
        let b = try await TestEnvironment.makeTenant(name: "B")
        for tenant in [a, b] {
            try await runtime.database.withTenant(try tenant.scope()) { tx in
                let account: Int = try tx.queryOne(
                    "INSERT INTO accounts (email, role) VALUES ('direction@exemple.fr', 'direction') RETURNING id"
                ).decode("id")
                try tx.execute(
                    """
                    INSERT INTO sessions (id_hash, account_id, csrf_token, last_seen_at, expires_at) VALUES
                        ('live', \(account), 'c', now(), now() + interval '1 hour'),
                        ('past-its-end', \(account), 'c', now(), now() - interval '1 minute'),
                        ('idle', \(account), 'c', now() - interval '2 hours', now() + interval '1 hour')
                    """)
                try tx.execute(
                    """
                    INSERT INTO api_tokens (token_hash, account_id, expires_at, revoked_at) VALUES
                        ('live', \(account), now() + interval '30 days', NULL),
                        ('just-expired', \(account), now() - interval '1 hour', NULL),
                        ('long-expired', \(account), now() - interval '2 days', NULL),
                        ('long-revoked', \(account), now() + interval '10 days', now() - interval '3 days')
                    """)
                try tx.execute(
                    """
                    INSERT INTO account_links (token_hash, kind, account_id, expires_at, used_at) VALUES
                        ('live', 'invitation', \(account), now() + interval '7 days', NULL),
                        ('used-long-ago', 'reset', \(account), now() + interval '7 days', now() - interval '2 days'),
                        ('expired-long-ago', 'reset', \(account), now() - interval '2 days', NULL)
                    """)
                try tx.execute(
                    """
                    INSERT INTO login_throttle (key, failures, first_failure_at, last_failure_at, locked_until) VALUES
                        ('ip:recent', 3, now(), now(), NULL),
                        ('ip:old', 9, now() - interval '3 days', now() - interval '2 days', now() - interval '2 days'),
                        ('account:still-locked', 40, now() - interval '3 days', now() - interval '2 days', now() + interval '5 minutes')
                    """)
            }
        }
        var logger = Logger(label: "housekeeping-test")
        logger.logLevel = .error
        // A round of one pass: every association is visited.
        let worker = HousekeepingWorker(
            database: runtime.database, tenants: runtime.tenants, interval: .seconds(60), sweep: .seconds(60), logger: logger)
        let purged = try await SchemaWideTests.oneAtATime { try await worker.pass(0) }
        // A server started by another test runs its own housekeeping and may have taken some
        // of these rows first: what is left below is the proof, the counts an upper bound.
        let expected = ExpiredRowsStore.Purged(sessions: 2, apiTokens: 2, links: 2, throttleRows: 1)
        for tenant in [a, b] {
            let done = try #require(purged[tenant.slug])
            #expect(done.sessions <= expected.sessions && done.apiTokens <= expected.apiTokens)
            #expect(done.links <= expected.links && done.throttleRows <= expected.throttleRows)
        }
        for tenant in [a, b] {
            let left: [String] = try await runtime.database.withTenant(try tenant.scope()) { tx in
                try tx.query(
                    """
                    SELECT 'session ' || id_hash AS what FROM sessions UNION ALL
                    SELECT 'token ' || token_hash FROM api_tokens UNION ALL
                    SELECT 'link ' || token_hash FROM account_links UNION ALL
                    SELECT 'throttle ' || key FROM login_throttle ORDER BY 1
                    """
                ).map { try $0.decode("what") }
            }
            #expect(
                left == [
                    "link live", "session live", "throttle account:still-locked", "throttle ip:recent", "token just-expired",
                    "token live",
                ])
        }
        // A second pass finds nothing more to delete.
        let again = try await SchemaWideTests.oneAtATime { try await worker.pass(1) }
        #expect(again[a.slug]?.total == 0)
    }

    @Test("with a round of several passes, a pass visits a slice of the associations and the round visits them all")
    func slicesTheAssociations() async throws {
        let runtime = try await TestEnvironment.runtime()
        var mine: Set<String> = []
        for _ in 0..<4 { mine.insert(try await TestEnvironment.makeTenant().slug) }
        var logger = Logger(label: "housekeeping-test")
        logger.logLevel = .error
        let worker = HousekeepingWorker(
            database: runtime.database, tenants: runtime.tenants, interval: .seconds(60), sweep: .seconds(180), logger: logger)
        let passes = try await SchemaWideTests.oneAtATime {
            var passes: [Set<String>] = []
            for pass in 0..<3 { passes.append(Set(try await worker.pass(pass).keys).intersection(mine)) }
            return passes
        }
        // Each of these associations is visited by exactly one of the round's three passes.
        for slug in mine { #expect(passes.filter { $0.contains(slug) }.count == 1, "\(slug)") }
        #expect(passes.allSatisfy { $0.count < mine.count })
    }
}
