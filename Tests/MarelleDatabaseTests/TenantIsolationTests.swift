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
            try s.queryOne("SELECT current_setting('search_path') AS path, current_user AS who, to_regclass('audit_log') IS NULL AS hidden")
        }
        #expect(try state.decode("path", as: String.self) == "\"$user\", public")
        #expect(try state.decode("who", as: String.self) == "marelle")
        #expect(try state.decode("hidden", as: Bool.self))
        // Even after a tenant transaction that failed half-way.
        _ = try? await database.withTenant(try a.scope()) { s in try s.execute("SELECT 1/0") }
        let who = try await database.withConnection { s in try s.queryOne("SELECT current_user AS who").decode("who", as: String.self) }
        #expect(who == "marelle")
        #expect(await database.pool.statistics.open <= 1)
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
