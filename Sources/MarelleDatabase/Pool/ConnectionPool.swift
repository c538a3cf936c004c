import DequeModule
import NIOPosix

/// A bounded set of libpq connections.
///
/// - Connections open lazily, up to `maxConnections`; past that, callers wait in line (first
///   come, first served) until one is released or `acquireTimeout` passes.
/// - A connection is checked before each use (`isHealthy`) and dropped when broken or when
///   it comes back with a transaction still open; a replacement opens on demand, so a
///   PostgreSQL restart needs no server restart.
/// - Every blocking libpq call runs on `threads`, a thread pool as large as the pool, never
///   on Swift's cooperative threads.
public actor ConnectionPool {
    public nonisolated let configuration: PoolConfiguration
    nonisolated let threads: NIOThreadPool

    private var idle: [PostgresConnection] = []
    /// Connections open or being opened, idle or not.
    private var total = 0
    private var waiters: Deque<Waiter> = []
    private var nextWaiterID = 0
    private var closed = false

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<PostgresConnection, any Error>
    }

    /// What the pool is doing, for metrics and tests.
    public struct Statistics: Sendable, Equatable {
        public let open: Int
        public let idle: Int
        public let waiting: Int
        public var inUse: Int { open - idle }

        public init(open: Int, idle: Int, waiting: Int) {
            self.open = open
            self.idle = idle
            self.waiting = waiting
        }
    }

    public init(configuration: PoolConfiguration) {
        self.configuration = configuration
        self.threads = NIOThreadPool(numberOfThreads: configuration.maxConnections)
        self.threads.start()
    }

    public var statistics: Statistics {
        Statistics(open: total, idle: idle.count, waiting: waiters.count)
    }

    /// Closes idle connections, fails waiters, and stops the worker threads once every
    /// connection in use has come back (they are closed as they return).
    public func close() async {
        closed = true
        total -= idle.count
        idle.removeAll()
        while let waiter = waiters.popFirst() {
            waiter.continuation.resume(throwing: DatabaseError(kind: .poolClosed, message: "the connection pool is closed"))
        }
        try? await threads.shutdownGracefully()
    }

    /// A connection, and whether it was used before (a fresh one cannot be stale).
    deinit {
        // A pool dropped without `close()` (a test that failed half-way) must still stop its
        // worker threads: NIOThreadPool may not be freed while they run.
        if !closed { threads.shutdownGracefully { _ in } }
    }

    func acquire() async throws -> (PostgresConnection, reused: Bool) {
        while !closed {
            if let connection = idle.popLast() {
                if connection.isHealthy { return (connection, true) }
                total -= 1
                continue
            }
            if total < configuration.maxConnections {
                total += 1
                do {
                    return (try await open(), false)
                } catch {
                    total -= 1
                    throw error
                }
            }
            return (try await wait(), true)
        }
        throw DatabaseError(kind: .poolClosed, message: "the connection pool is closed")
    }

    /// Returns a connection. A broken one, one still inside a transaction, or one that
    /// carried a large message (`PostgresConnection.carriedLargeMessage`) is dropped:
    /// a pooled connection never carries a transaction (and so a tenant's settings) past its
    /// user.
    func release(_ connection: PostgresConnection, reusable: Bool) {
        // One that carried a document is closed too: its libpq buffers stay that size.
        let keep =
            reusable && !closed && connection.isIdleOutsideTransaction && !connection.carriedLargeMessage
            && connection.isHealthy
        if keep {
            if let waiter = waiters.popFirst() {
                waiter.continuation.resume(returning: connection)
            } else {
                idle.append(connection)
            }
            return
        }
        total -= 1
        if reusable == false {
            // A broken connection usually means a server restart or a failover: the idle
            // ones are as dead, even if they have not yet noticed. Drop them all now rather
            // than fail one request per stale connection.
            total -= idle.count
            idle.removeAll()
        }
        // A waiter was counting on this connection: open a replacement for it.
        if !closed, !waiters.isEmpty, total < configuration.maxConnections {
            total += 1
            Task { await self.openForWaiter() }
        }
    }

    private func openForWaiter() async {
        do {
            let connection = try await open()
            release(connection, reusable: true)
        } catch {
            total -= 1
            if let waiter = waiters.popFirst() { waiter.continuation.resume(throwing: error) }
        }
    }

    private func open() async throws -> PostgresConnection {
        let conninfo = configuration.conninfo
        let name = configuration.applicationName
        return try await threads.runIfActive {
            try PostgresConnection.connect(conninfo, applicationName: name)
        }
    }

    private func wait() async throws -> PostgresConnection {
        let id = nextWaiterID
        nextWaiterID += 1
        let timeout = configuration.acquireTimeout
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.expire(id)
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(Waiter(id: id, continuation: continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func expire(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        let seconds = configuration.acquireTimeout.components.seconds
        waiter.continuation.resume(
            throwing: DatabaseError(
                kind: .poolTimeout,
                message: "no database connection became free within \(seconds) s (pool of \(configuration.maxConnections))"))
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
