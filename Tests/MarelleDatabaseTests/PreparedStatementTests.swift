import MarelleDatabase
import MarelleTestSupport
import Testing

@Suite("Prepared statements, pipelined BEGIN and one thread hop per transaction")
struct PreparedStatementTests {
    @Test("the same statement text on one connection reads each tenant's own table, in turn")
    func sameTextAcrossTenants() async throws {
        let a = try await TestEnvironment.makeTenant(name: "A")
        let b = try await TestEnvironment.makeTenant(name: "B")
        let database = Database(configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1))
        try await database.withTenant(try a.scope()) { s in
            try s.execute("INSERT INTO audit_log (actor_kind, action) VALUES ('system', 'only-in-a')")
        }
        let text = "SELECT count(*)::int AS n FROM audit_log WHERE action = 'only-in-a'"
        let count = SQL.unsafeRaw(text)
        for _ in 0..<3 {
            let inA = try await database.withTenant(try a.scope()) { s in try s.queryOne(count).decode("n", as: Int.self) }
            let inB = try await database.withTenant(try b.scope()) { s in try s.queryOne(count).decode("n", as: Int.self) }
            #expect(inA == 1 && inB == 0)
        }
        // One prepared statement served both tenants.
        let prepared = try await database.withConnection { s in
            try s.queryOne("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = \(text)").decode(
                "n", as: Int.self)
        }
        #expect(prepared == 1)
        await database.close()
    }

    @Test("a table that changes shape under a prepared statement is read again, not refused")
    func stalePlan() async throws {
        let database = Database(configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1))
        let table = "shape_\(Int.random(in: 1...1_000_000_000))"
        try await database.withConnection { s in
            try s.execute("CREATE TABLE public.\(identifier: table) (a int)")
            try s.execute("INSERT INTO public.\(identifier: table) VALUES (1)")
        }
        let select: SQL = "SELECT * FROM public.\(identifier: table)"
        let before = try await database.withTransaction { s in try s.queryOne(select).columnNames }
        #expect(before == ["a"])
        // Another process migrates: the cached plan's result type no longer holds.
        let other = try await TestEnvironment.runtime().database
        try await other.withConnection { s in
            try s.execute("ALTER TABLE public.\(identifier: table) ADD COLUMN b text DEFAULT 'x'")
        }
        let after = try await database.withTransaction { s in try s.queryOne(select).columnNames }
        #expect(after == ["a", "b"])
        try await database.withConnection { s in try s.execute("DROP TABLE public.\(identifier: table)") }
        await database.close()
    }

    @Test("BEGIN travels with the first statement; an error in it rolls back; a body without statements opens nothing")
    func pipelinedBegin() async throws {
        let database = Database(configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1))
        // The first statement fails: nothing of the transaction stays, and the connection serves on.
        let error = await #expect(throws: DatabaseError.self) {
            try await database.withTransaction { s in try s.execute("SELECT 1/0") }
        }
        #expect(error?.sqlState == "22012")
        // A body that runs no statement sends nothing, not even BEGIN.
        let value = try await database.withTransaction { _ in 42 }
        #expect(value == 42)
        // Statements of one transaction share it (same transaction id), and it is committed.
        let ids = try await database.withTransaction { s in
            (
                try s.queryOne("SELECT txid_current()::text AS id").decode("id", as: String.self),
                try s.queryOne("SELECT txid_current()::text AS id").decode("id", as: String.self)
            )
        }
        #expect(ids.0 == ids.1)
        // The pool keeps a connection only when it comes back outside any transaction.
        #expect(await database.pool.statistics == .init(open: 1, idle: 1, waiting: 0))
        await database.close()
    }
}
