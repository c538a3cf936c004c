import MarelleCore
import NIOPosix
import Synchronization

/// The application's handle on PostgreSQL: a pool and the three ways to use a connection.
/// Family data is only ever touched through `withTenant`.
///
/// Each body is synchronous and runs on the connection's worker thread (never on Swift's
/// cooperative pool): a transaction costs one thread hop in and one out, whatever the number
/// of its statements. `BEGIN`, the tenant's settings and the first statement travel in one
/// round trip, and statements are prepared once per connection.
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
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (Session) throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let (connection, reused) = try await pool.acquire()
            let progress = Session.Progress()
            // Task-local values do not cross to the worker thread: the reader's language does,
            // so that a message written inside the transaction is in it.
            let language = Language.current
            do {
                let value = try await pool.threads.runIfActive {
                    try connection.trimStatementCache()
                    return try Language.$current.withValue(language) {
                        try body(Session(connection: connection, progress: progress))
                    }
                }
                await pool.release(connection, reusable: true)
                return value
            } catch {
                let broken = Self.breaksConnection(error)
                await pool.release(connection, reusable: !broken)
                let untouched = progress.completed.load(ordering: .relaxed) == 0
                if broken, reused, untouched, attempt <= pool.configuration.maxConnections { continue }
                throw error
            }
        }
    }

    /// A transaction: committed when `body` returns, rolled back when it throws. The first
    /// error is the one rethrown, even when the rollback fails too (the connection is then
    /// dropped by the pool, since it is left inside a transaction).
    @discardableResult
    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (Session) throws -> T) async throws -> T {
        try await withConnection { session in try Self.transaction(session, prologue: [], body) }
    }

    /// A transaction scoped to one tenant: `search_path` is the tenant's schema alone and the
    /// role is the tenant's own role, both transaction-local, so nothing of the tenant
    /// survives the transaction on the pooled connection.
    @discardableResult
    public func withTenant<T: Sendable>(_ scope: TenantScope, _ body: @escaping @Sendable (Session) throws -> T) async throws -> T
    {
        let database = try await holding(scope)
        return try await database.withConnection { session in
            try Self.transaction(session, prologue: [Self.tenantSettings(scope)], body)
        }
    }

    /// Reads scoped to one tenant without a transaction around them: the tenant's settings go
    /// in front of every round trip, which is then a transaction of its own (libpq pipeline
    /// mode: the statements up to a Sync form one implicit transaction). No `BEGIN`, no
    /// `COMMIT` and its round trip: for pages that only read, after a caller check whose
    /// write (last seen) may commit on its own, and need no snapshot shared by two round
    /// trips. Nothing of the tenant survives on the pooled connection: the settings are
    /// transaction-local as in `withTenant`.
    @discardableResult
    public func withTenantReads<T: Sendable>(_ scope: TenantScope, _ body: @escaping @Sendable (Session) throws -> T) async throws
        -> T
    {
        let database = try await holding(scope)
        return try await database.withConnection { session in
            var attempt = 0
            while true {
                attempt += 1
                session.connection.repeatInEveryRoundTrip([Self.tenantSettings(scope)])
                do {
                    defer { session.connection.stopRepeating() }
                    return try body(session)
                } catch let error as DatabaseError where error.isStalePreparedStatement && attempt == 1 {
                    session.connection.forgetStatements()
                    try session.connection.trimStatementCache()
                }
            }
        }
    }

    /// A transaction that must wait on something other than PostgreSQL while it stays open (a
    /// `pg_dump` reading its exported snapshot). Each `run` hops to the connection's thread on
    /// its own: use it only where the wait is the point, never on a request's path.
    public func withHeldTransaction<T: Sendable>(_ body: (HeldTransaction) async throws -> T) async throws -> T {
        let (connection, _) = try await pool.acquire()
        let held = HeldTransaction(connection: connection, threads: pool.threads)
        do {
            _ = try await held.run { session in try session.execute("BEGIN") }
            let value = try await body(held)
            _ = try await held.run { session in try session.execute("COMMIT") }
            await pool.release(connection, reusable: true)
            return value
        } catch {
            _ = try? await held.run { session in try session.execute("ROLLBACK") }
            await pool.release(connection, reusable: !Self.breaksConnection(error))
            throw error
        }
    }

    /// Scopes the current transaction of `session` to a tenant. Public for the migrator and
    /// tenant creation, which already hold a transaction.
    public static func enterTenant(_ scope: TenantScope, on session: Session) throws {
        try session.execute(tenantSettings(scope))
    }

    /// `role` is a setting like `search_path`: set_config(..., true) is SET LOCAL ROLE, with
    /// the same membership check, and both fit in one statement.
    static func tenantSettings(_ scope: TenantScope) -> SQL {
        "SELECT set_config('search_path', \(scope.schema), true), set_config('role', \(scope.role), true)"
    }

    /// Runs `body` in a transaction on the current thread. `BEGIN` and `prologue` are sent with
    /// the body's first statement; a body that runs none opens no transaction at all. When the
    /// server refuses a cached plan (a table changed shape under a prepared statement), the
    /// whole transaction, rolled back, runs once more with statements prepared afresh.
    static func transaction<T>(_ session: Session, prologue: [SQL], _ body: (Session) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try transactionOnce(session, prologue: prologue, body)
            } catch let error as DatabaseError where error.isStalePreparedStatement && attempt == 1 {
                session.connection.forgetStatements()
                try session.connection.trimStatementCache()
            }
        }
    }

    private static func transactionOnce<T>(_ session: Session, prologue: [SQL], _ body: (Session) throws -> T) throws -> T {
        let connection = session.connection
        connection.deferStatements(["BEGIN"] + prologue)
        let value: T
        do {
            value = try body(session)
        } catch {
            if connection.hasDeferredStatements {
                connection.dropDeferredStatements()
            } else {
                _ = try? session.execute("ROLLBACK")
            }
            throw error
        }
        if connection.hasDeferredStatements {
            connection.dropDeferredStatements()
        } else {
            try session.execute("COMMIT")
        }
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

/// The connection of a `withHeldTransaction`: each `run` is one hop to its thread.
public struct HeldTransaction: Sendable {
    let connection: PostgresConnection
    let threads: NIOThreadPool

    public func run<T: Sendable>(_ body: @escaping @Sendable (Session) throws -> T) async throws -> T {
        let connection = self.connection
        return try await threads.runIfActive { try body(Session(connection: connection, progress: Session.Progress())) }
    }
}
