import Foundation
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import MarelleWeb
import Testing

@Suite("The serving role: owns nothing, reaches tenants only through their roles")
struct ServingRoleTests {
    @Test(
        "after migrate and tenant creation the serving role reads and writes a tenant's tables in its scope, and cannot create in the control schema"
    )
    func servingRole() async throws {
        try await SchemaWideTests.oneAtATime {
            let shared = try await TestEnvironment.runtime()
            let role = "serve_" + UUID().uuidString.prefix(8).lowercased()
            try await shared.database.withConnection { session in try session.execute("CREATE ROLE \(identifier: role) LOGIN") }
            var configuration = TestEnvironment.configuration(poolSize: 2)
            configuration.database.servingRole = role
            let owner = try Runtime(configuration: configuration)
            let tenant = try await owner.tenants.create(
                slug: TestEnvironment.uniqueSlug("serve"), displayName: "Servie", operator: "tests")
            try await owner.migrateAll { _, _ in }
            await owner.shutdown()

            let conninfo = TestEnvironment.conninfo.replacingOccurrences(of: "user=marelle", with: "user=\(role)")
            #expect(conninfo.contains("user=\(role)"))
            let serving = Database(configuration: PoolConfiguration(conninfo: conninfo, maxConnections: 1))
            let found = try await TenantStore(database: serving, tenantMigrator: shared.tenantMigrator).find(slug: tenant.slug)
            #expect(found?.id == tenant.id)
            let families = try await serving.withTenant(try tenant.scope()) { tx -> Int in
                _ = try FamilyStore().create(tx, name: "Par le rôle de service")
                return try tx.queryOne("SELECT count(*)::int AS n FROM families").decode("n")
            }
            #expect(families == 1)
            await #expect(throws: DatabaseError.self) {
                try await serving.withConnection { session in try session.execute("CREATE TABLE marelle.intrus (id int)") }
            }
            await #expect(throws: DatabaseError.self) {
                try await serving.withConnection { session in
                    try session.execute("SELECT count(*) FROM \(identifier: tenant.schemaName).families")
                }
            }
            await serving.close()
        }
    }
}
