import Synchronization

/// The application's handle on PostgreSQL: a pool and the three ways to use a connection.
/// Family data is only ever touched through `withTenant`.
public struct Database: Sendable {
    public let pool: ConnectionPool
    /// Where tenants of other clusters live (`TenantScope.cluster`); nil when there are none.
    public let clusters: ClusterDirectory?

    public init(pool: ConnectionPool, clusters: ClusterDirectory? = nil) {
        self.pool = pool
        self.clusters = clusters
    }

    public init(configuration: PoolConfiguration, clusters: ClusterDirectory? = nil) {
        self.pool = ConnectionPool(configuration: configuration)
        self.clusters = clusters
    }

    /// The database holding `scope`'s schema: this one, or the pool of its cluster.
    public func holding(_ scope: TenantScope) async throws -> Database {
        guard let name = scope.cluster else { return self }
        guard let clusters else { throw DatabaseError(kind: .client, message: "the configuration names no cluster '\(name)'") }
        return try await clusters.database(named: name)
    }

    /// A connection outside any transaction (each statement commits on its own).
    ///
    /// When a pooled connection turns out dead on its very first statement (the server
    /// restarted while it sat idle), nothing reached the server, so `body` is run again on
    /// another connection, up to once per possible stale connection.
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Session) async throws -> sending T
    ) async throws -> sending T {
        var attempt = 0
        while true {
            attempt += 1
            let (connection, reused) = try await pool.acquire()
            let session = Session(connection: connection, pool: pool)
            do {
                let value = try await body(session)
                await pool.release(connection, reusable: true)
                return value
            } catch {
                let broken = Self.breaksConnection(error)
                await pool.release(connection, reusable: !broken)
                let untouched = session.progress.completed.load(ordering: .relaxed) == 0
                if broken, reused, untouched, attempt <= pool.configuration.maxConnections { continue }
                throw error
            }
        }
    }

    /// A transaction: committed when `body` returns, rolled back when it throws. The first
    /// error is the one rethrown, even when the rollback fails too (the connection is then
    /// dropped by the pool, since it is left inside a transaction).
    public func withTransaction<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Session) async throws -> sending T
    ) async throws -> sending T {
        try await withConnection { session in
            try await Self.transaction(session, body)
        }
    }

    /// A transaction scoped to one tenant: `search_path` is the tenant's schema alone and the
    /// role is the tenant's own role, both transaction-local, so nothing of the tenant
    /// survives the transaction on the pooled connection.
    public func withTenant<T>(
        _ scope: TenantScope,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Session) async throws -> sending T
    ) async throws -> sending T {
        let database = try await holding(scope)
        return try await database.withTransaction { session in
            try await Self.enterTenant(scope, on: session)
            return try await body(session)
        }
    }

    /// Scopes the current transaction of `session` to a tenant. Public for the migrator and
    /// tenant creation, which already hold a transaction.
    public static func enterTenant(_ scope: TenantScope, on session: Session) async throws {
        // `role` is a setting like `search_path`: set_config(..., true) is SET LOCAL ROLE, with
        // the same membership check, and both fit in one round trip.
        try await session.execute(
            "SELECT set_config('search_path', \(scope.schema), true), set_config('role', \(scope.role), true)")
    }

    static func transaction<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ session: Session, _ body: (Session) async throws -> sending T
    ) async throws -> sending T {
        try await session.execute("BEGIN")
        let value: T
        do {
            value = try await body(session)
        } catch {
            _ = try? await session.execute("ROLLBACK")
            throw error
        }
        try await session.execute("COMMIT")
        return value
    }

    static func breaksConnection(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.kind == .connection
    }

    /// Stops the pool: call once, at shutdown.
    public func close() async {
        await clusters?.closeAll()
        await pool.close()
    }
}
