import Foundation
@_exported import MarelleAuth
@_exported import MarelleCore
@_exported import MarelleDatabase
@_exported import MarelleStore
@_exported import MarelleWeb

/// The test database started by `make test` (Deploy/dev/test.sh), and helpers that give each
/// test its own fresh tenant.
public enum TestEnvironment {
    /// The repository's root, for `sql/` and `Deploy/`.
    public static let repoRoot: String = {
        if let root = ProcessInfo.processInfo.environment["MARELLE_REPO_ROOT"] { return root }
        // Tests/MarelleTestSupport/TestEnvironment.swift -> three levels up.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    /// The connection string of the throwaway test cluster. Refuses anything that is not a
    /// local socket or loopback address, so that a stray variable can never point the tests
    /// (which create and drop schemas and roles) at a real database.
    public static let conninfo: String = {
        guard let url = ProcessInfo.processInfo.environment["MARELLE_TEST_DATABASE_URL"] else {
            fatalError("MARELLE_TEST_DATABASE_URL is not set: run the tests with `make test`")
        }
        let local = url.contains("host=/") || url.contains("host=127.0.0.1") || url.contains("host=localhost")
        precondition(local, "MARELLE_TEST_DATABASE_URL must name a local test cluster")
        return url
    }()

    /// Forty-odd suites run in parallel on one shared pool, on a two-core machine that may be
    /// building at the same time: a generous pool and wait keep a slow moment from failing
    /// tests that have nothing to do with the pool (its own tests set their limits).
    public static func configuration(poolSize: Int = 24) -> MarelleConfiguration {
        var c = MarelleConfiguration()
        c.database.url = conninfo
        c.database.poolSize = poolSize
        c.database.acquireTimeoutSeconds = 30
        c.baseDomain = "localhost"
        c.development = true
        c.http.publicScheme = "https"  // links as in production, whatever port the test server takes
        c.paths.sql = repoRoot + "/sql"
        c.mail.mode = "capture"
        return c
    }

    /// One runtime (one pool) shared by the tests of a process, with the control schema
    /// migrated once.
    public static func runtime() async throws -> Runtime {
        try await shared.runtime()
    }

    private static let shared = SharedRuntime()

    /// A brand-new tenant with a unique slug, fully migrated.
    public static func makeTenant(name: String = "Association de test") async throws -> Tenant {
        let runtime = try await runtime()
        return try await runtime.tenants.create(slug: uniqueSlug(), displayName: name, operator: "tests")
    }

    public static func uniqueSlug(_ prefix: String = "test") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(12).lowercased())"
    }
}

private actor SharedRuntime {
    private var value: Runtime?

    func runtime() async throws -> Runtime {
        if let value { return value }
        // Tests sign in by the dozen at once; production's short Argon2 queue would answer
        // 503 to some of them (tested on its own), so the shared runtime queues deeper. Its
        // hashes are light too: the hashing thread runs at nice 10 and, while the suite keeps
        // both cores busy with connection threads, production's cost made sign-ins wait past
        // the clients' timeout. The real parameters are tested in MarelleAuthTests.
        let light = PasswordHasher.Parameters(memoryKiB: 1_024, iterations: 1, parallelism: 1)
        let runtime = try Runtime(
            configuration: TestEnvironment.configuration(), hasher: try PasswordHasher(parameters: light, queueLimit: 10_000))
        try await runtime.controlMigrator.migrate(.control, database: runtime.database)
        value = runtime
        return runtime
    }
}
