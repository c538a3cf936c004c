import Foundation
import HTTPTypes
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import MarelleWeb
import Testing

@Suite("Associations on several PostgreSQL clusters")
struct TenantMoveTests {
    @Test("tenant move copies an association to a second cluster, checked, then serves it from there; and back")
    func moveAndBack() async throws {
        // Two clusters of the test's own: while the association is away, the shared test
        // database would hold a tenant its other tests cannot reach.
        let (main, second) = (try await ScratchCluster.start(), try await ScratchCluster.start())
        do {
            let env = ["MARELLE_DATABASE_URL": main.conninfo, "MARELLE_CLUSTERS": #"{"second": "\#(second.conninfo)"}"#]
            func marelle(_ arguments: String...) async throws -> Shell.Result {
                try await Shell.marelle(arguments, environment: env)
            }
            let slug = TestEnvironment.uniqueSlug("demenage")
            #expect(try await marelle("migrate").status == 0)
            #expect(try await marelle("tenant", "create", slug, "--name", "Club qui déménage").status == 0)
            #expect(
                try await marelle("load-fixture", "--tenant", slug, "--families", "5", "--places", "3", "--dates", "2").status
                    == 0)
            var configuration = TestEnvironment.configuration(poolSize: 4)
            configuration.database.url = main.conninfo
            configuration.clusters = ["second": second.conninfo]
            let runtime = try Runtime(configuration: configuration)
            func fingerprint() async throws -> [String: TenantSnapshot.TableSum] {
                let tenant = try await runtime.tenants.require(slug: slug)
                return try await runtime.database.withTenant(try tenant.scope()) {
                    try TenantSnapshot.fingerprint($0, schema: tenant.schemaName)
                }
            }
            let before = try await fingerprint()
            #expect((before["families"]?.rows ?? 0) == 5)
            let schema = try await runtime.tenants.require(slug: slug).schemaName

            let moved = try await marelle("tenant", "move", slug, "--to", "second")
            #expect(moved.status == 0, "\(moved.errors)")
            #expect(moved.output.contains("moved \(slug) to second"))
            let leftBehind: Bool = try await runtime.database.withConnection { s in
                try s.queryOne("SELECT to_regnamespace(\(schema)) IS NOT NULL AS present").decode("present")
            }
            #expect(!leftBehind)
            let there = try await runtime.tenants.require(slug: slug)
            #expect(there.cluster == "second" && there.status == .active)
            #expect(try await fingerprint() == before)
            // The server opens a pool to the second cluster and serves the association from it.
            try await WebTestServer.with(runtime: runtime) { client in
                let home = try await client.get("/", host: "\(slug).localhost")
                #expect(home.status == .ok && home.text.contains("Club qui déménage"))
            }
            #expect(try await marelle("migrate").status == 0)

            let back = try await marelle("tenant", "move", slug, "--to", "main")
            #expect(back.status == 0, "\(back.errors)")
            #expect(try await runtime.tenants.require(slug: slug).cluster == nil)
            #expect(try await fingerprint() == before)
            #expect(try await marelle("tenant", "move", slug, "--to", "nulle-part").status != 0)
            await runtime.shutdown()
            await main.destroy()
            await second.destroy()
        } catch {
            await main.destroy()
            await second.destroy()
            throw error
        }
    }

    @Test("an association being moved shows its pages but refuses writes with a maintenance page or a 503 problem")
    func readOnlyWhileMoving() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant(name: "Club en travaux")
        try await runtime.tenants.setStatus(slug: tenant.slug, .moving, operator: "tests")
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with(expecting: [503]) { client in
            #expect(try await client.get("/", host: host).status == .ok)
            let page = try await client.post("/login", host: host, form: ["email": "a@exemple.fr", "password": "x"])
            #expect(page.status == .serviceUnavailable && page.text.contains("maintenance"))
            let api = try await client.json(
                .post, "/api/v1/auth/login", host: host, body: #"{"email":"a@exemple.fr","password":"x"}"#)
            #expect(api.status == .serviceUnavailable && api.headers[.contentType] == "application/problem+json")
        }
    }
}
