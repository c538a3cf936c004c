import MarelleDatabase
import MarelleTestSupport
import Testing

@Suite("Connection pool")
struct PoolTests {
    @Test("an exhausted pool times out cleanly, then serves again once the connection is back")
    func exhaustion() async throws {
        let database = Database(
            configuration: PoolConfiguration(
                conninfo: TestEnvironment.conninfo, maxConnections: 1, acquireTimeout: .milliseconds(300)))
        let (holding, holdingContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        let holder = Task {
            // A held transaction keeps its connection while it waits on something else.
            try await database.withHeldTransaction { held in
                _ = try await held.run { s in try s.execute("SELECT 1") }
                holdingContinuation.yield()
                for await _ in release { break }
            }
        }
        for await _ in holding { break }
        let error = await #expect(throws: DatabaseError.self) {
            try await database.withConnection { s in try s.execute("SELECT 1") }
        }
        #expect(error?.kind == .poolTimeout)
        #expect(await database.pool.statistics.waiting == 0)
        releaseContinuation.yield()
        try await holder.value
        let one = try await database.withConnection { s in try s.queryOne("SELECT 1 AS one").decode("one", as: Int.self) }
        #expect(one == 1)
        #expect(await database.pool.statistics == .init(open: 1, idle: 1, waiting: 0))
        await database.close()
    }

    @Test("a connection that carried a document (over 1 MiB) is closed when it comes back; small statements keep theirs")
    func largeMessagesRetireTheirConnection() async throws {
        let database = Database(
            configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1, acquireTimeout: .seconds(20)))
        func backend() async throws -> Int {
            try await database.withConnection { s in try s.queryOne("SELECT pg_backend_pid() AS pid").decode("pid") }
        }
        let first = try await backend()
        #expect(try await backend() == first)
        // Sent: a 2 MiB bind. The answer is small, the connection's output buffer is not.
        let sent = try await database.withConnection { s in
            try s.queryOne("SELECT length(\(ByteA([UInt8](repeating: 7, count: 2 << 20)))) AS n, pg_backend_pid() AS pid")
        }
        #expect(try sent.decode("n", as: Int.self) == 2 << 20 && sent.decode("pid", as: Int.self) == first)
        let second = try await backend()
        #expect(second != first)
        // Received: a 2 MiB value.
        _ = try await database.withConnection { s in try s.queryOne("SELECT repeat('x', 2 << 20) AS big") }
        #expect(try await backend() != second)
        #expect(await database.pool.statistics == .init(open: 1, idle: 1, waiting: 0))
        await database.close()
    }

    @Test("waiters are served in turn when more tasks than connections ask at once")
    func queueing() async throws {
        let database = Database(
            configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 2, acquireTimeout: .seconds(20)))
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 1...40 {
                group.addTask {
                    try await database.withConnection { s in
                        try s.queryOne("SELECT \(i) AS n, pg_sleep(0.005)").decode("n", as: Int.self)
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(total == (1...40).reduce(0, +))
        #expect(await database.pool.statistics.open <= 2)
        await database.close()
    }

    @Test("connections killed by the server are replaced without restarting the application")
    func terminatedBackends() async throws {
        let name = "pooltest-\(Int.random(in: 1...1_000_000))"
        let database = Database(
            configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 3, applicationName: name))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    _ = try await database.withConnection { s in try s.execute("SELECT pg_sleep(0.05)") }
                }
            }
            try await group.waitForAll()
        }
        let admin = try await TestEnvironment.runtime().database
        let killed = try await admin.withConnection { s in
            try s.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(name)").count
        }
        #expect(killed >= 1)
        for _ in 0..<5 {
            let one = try await database.withConnection { s in try s.queryOne("SELECT 1 AS one").decode("one", as: Int.self) }
            #expect(one == 1)
        }
        await database.close()
    }

    @Test("after PostgreSQL itself restarts, the same pool serves again")
    func serverRestart() async throws {
        let cluster = try await ScratchCluster.start()
        let database = Database(
            configuration: PoolConfiguration(conninfo: cluster.conninfo, maxConnections: 2, acquireTimeout: .seconds(5)))
        let before = try await database.withConnection { s in
            try s.queryOne("SELECT pg_backend_pid() AS p").decode("p", as: Int.self)
        }
        try await cluster.restart()
        let after = try await database.withConnection { s in
            try s.queryOne("SELECT pg_backend_pid() AS p").decode("p", as: Int.self)
        }
        #expect(after != before)
        let inTransaction = try await database.withTransaction { s in
            try s.queryOne("SELECT 2 AS two").decode("two", as: Int.self)
        }
        #expect(inTransaction == 2)
        try await cluster.stop()
        let error = await #expect(throws: DatabaseError.self) {
            try await database.withConnection { s in try s.execute("SELECT 1") }
        }
        #expect(error?.kind == .connection)
        await database.close()
        await cluster.destroy()
    }
}
