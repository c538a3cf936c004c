import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("Tenant isolation on pooled connections")
struct TenantIsolationTests {
    @Test("on a pool of one, tenant A then tenant B then an unscoped query see nothing of A")
    func poolOfOneLeak() async throws {
        let a = try await TestEnvironment.makeTenant(name: "A")
        let b = try await TestEnvironment.makeTenant(name: "B")
        let database = Database(configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1))
        try await database.withTenant(try a.scope()) { s in
            try s.execute("INSERT INTO audit_log (actor_kind, action) VALUES ('system', 'secret-of-a')")
        }
        let seenByB = try await database.withTenant(try b.scope()) { s in
            try s.queryOne("SELECT count(*) AS n FROM audit_log WHERE action = 'secret-of-a'").decode("n", as: Int.self)
        }
        #expect(seenByB == 0)
        let state = try await database.withConnection { s in
            try s.queryOne(
                "SELECT current_setting('search_path') AS path, current_user AS who, to_regclass('audit_log') IS NULL AS hidden")
        }
        #expect(try state.decode("path", as: String.self) == "\"$user\", public")
        #expect(try state.decode("who", as: String.self) == "marelle")
        #expect(try state.decode("hidden", as: Bool.self))
        // Even after a tenant transaction that failed half-way.
        _ = try? await database.withTenant(try a.scope()) { s in try s.execute("SELECT 1/0") }
        let who = try await database.withConnection { s in
            try s.queryOne("SELECT current_user AS who").decode("who", as: String.self)
        }
        #expect(who == "marelle")
        #expect(await database.pool.statistics.open <= 1)
        await database.close()
    }

    @Test("reads without a transaction see their tenant in every round trip, one statement or several, and leave nothing behind")
    func readsOutsideATransaction() async throws {
        let a = try await TestEnvironment.makeTenant(name: "A")
        let b = try await TestEnvironment.makeTenant(name: "B")
        let database = Database(configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1))
        try await database.withTenant(try a.scope()) { s in
            try s.execute("INSERT INTO audit_log (actor_kind, action) VALUES ('system', 'secret-of-a')")
        }
        let count = Query<Int>("SELECT action FROM audit_log WHERE action = 'secret-of-a'") { rows in rows.count }
        let place = Query<String>("SELECT current_setting('search_path') || ' ' || current_user AS place") { rows in
            try rows[0].decode("place")
        }
        let (seen, inOne, first, second, describedLater) = try await database.withTenantReads(try a.scope()) { s in
            // A plain statement, then two round trips, then reads in one statement (whose read
            // is described, hence prepared, outside the round trip that runs it).
            let first = try s.queryOne("SELECT count(*) AS n FROM audit_log WHERE action = 'secret-of-a'").decode(
                "n", as: Int.self)
            let (seen, there) = try s.fetch(count, place)
            let (inOne, again) = try s.fetchInOne(count, place)
            return (seen, inOne, first, there, again)
        }
        #expect([first, seen, inOne] == [1, 1, 1])
        #expect(second.contains(a.schemaName) && second.hasSuffix(" \(a.roleName)"))
        #expect(describedLater == second)
        let seenByB = try await database.withTenantReads(try b.scope()) { s in try s.fetchInOne(count, place) }
        #expect(seenByB.0 == 0)
        #expect(seenByB.1.contains(b.schemaName) && seenByB.1.hasSuffix(" \(b.roleName)"))
        let state = try await database.withConnection { s in
            try s.queryOne("SELECT current_setting('search_path') AS path, current_user AS who")
        }
        #expect(try state.decode("path", as: String.self) == "\"$user\", public")
        #expect(try state.decode("who", as: String.self) == "marelle")
        // A read that fails leaves no transaction open and no settings either.
        _ = try? await database.withTenantReads(try a.scope()) { s in try s.execute("SELECT 1/0") }
        let after = try await database.withConnection { s in
            try s.queryOne("SELECT current_user AS who").decode("who", as: String.self)
        }
        #expect(after == "marelle")
        await database.close()
    }

    @Test("a tenant's role cannot read another tenant's schema nor the control schema, even by name")
    func roleCannotCrossSchemas() async throws {
        let runtime = try await TestEnvironment.runtime()
        let a = try await TestEnvironment.makeTenant(name: "A")
        let b = try await TestEnvironment.makeTenant(name: "B")
        for target in [b.schemaName, "marelle"] {
            let table = target == "marelle" ? "tenants" : "audit_log"
            let error = await #expect(throws: DatabaseError.self) {
                try await runtime.database.withTenant(try a.scope()) { s in
                    try s.query("SELECT * FROM \(identifier: target).\(identifier: table)")
                }
            }
            #expect(error?.isInsufficientPrivilege == true)
        }
    }
}
