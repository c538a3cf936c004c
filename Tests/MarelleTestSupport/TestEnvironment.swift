import Foundation
@_exported import MarelleApp
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
        c.secondFactorKey = secondFactorKey
        c.paymentsKey = paymentsKey
        return c
    }

    /// A key made for the test process: secrets sealed in one run mean nothing in the next.
    public static let secondFactorKey = Data((0..<32).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString()
    public static let paymentsKey = Data((0..<32).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString()

    /// One runtime (one pool) shared by the tests of a process, with the control schema
    /// migrated once.
    public static func runtime() async throws -> Runtime {
        try await shared.runtime()
    }

    private static let shared = SharedRuntime()

    /// A brand-new tenant with a unique slug, fully migrated.
    ///
    /// Tenants are made on a pool of their own, as `marelle tenant create` makes them in a
    /// process of its own: forty suites creating tenants at once (each a transaction of DDL
    /// that contends on the catalogs for seconds) would otherwise hold the shared pool's
    /// connections while the tests' servers wait for one past their clients' timeout.
    public static func makeTenant(name: String = "Association de test") async throws -> Tenant {
        try await shared.tenantMaker().create(slug: uniqueSlug(), displayName: name, operator: "tests")
    }

    public static func uniqueSlug(_ prefix: String = "test") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(12).lowercased())"
    }
}

/// The shared runtime and the tenant maker, each made once: the first caller's task is
/// kept, so callers that arrive while it runs wait for it instead of making their own (an
/// actor lets them in at every suspension).
private actor SharedRuntime {
    private var value: Task<Runtime, any Error>?
    private var maker: Task<TenantStore, any Error>?

    func runtime() async throws -> Runtime {
        if let value { return try await value.value }
        let task = Task { try await Self.makeRuntime() }
        value = task
        return try await task.value
    }

    func tenantMaker() async throws -> TenantStore {
        if let maker { return try await maker.value }
        let task = Task { try Self.makeTenantMaker(runtime: try await self.runtime()) }
        maker = task
        return try await task.value
    }

    private static func makeRuntime() async throws -> Runtime {
        // Tests sign in by the dozen at once; production's short Argon2 queue would answer
        // 503 to some of them (tested on its own), so the shared runtime queues deeper. Its
        // hashes are light too: the hashing thread runs at nice 10 and, while the suite keeps
        // both cores busy with connection threads, production's cost made sign-ins wait past
        // the clients' timeout. The real parameters are tested in MarelleAuthTests.
        // Before any metric exists, as `marelle serve` does.
        MetricsEndpoint.bootstrap()
        let light = PasswordHasher.Parameters(memoryKiB: 1_024, iterations: 1, parallelism: 1)
        let runtime = try Runtime(
            configuration: TestEnvironment.configuration(), hasher: try PasswordHasher(parameters: light, queueLimit: 10_000))
        try await runtime.controlMigrator.migrate(.control, database: runtime.database)
        return runtime
    }

    private static func makeTenantMaker(runtime: Runtime) throws -> TenantStore {
        let configuration = TestEnvironment.configuration()
        let database = Database(
            configuration: PoolConfiguration(
                conninfo: configuration.database.url, maxConnections: 4, acquireTimeout: .seconds(120),
                applicationName: "marelle-tests-tenants"))
        return TenantStore(
            database: database, tenantMigrator: runtime.tenantMigrator, servingRole: configuration.database.servingRole)
    }
}
