import Foundation
import HTTPTypes
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import MarelleWeb
import Testing

@Suite("Associations on several PostgreSQL clusters")
struct TenantMoveTests {
    static let binary = TestEnvironment.repoRoot + "/.build/debug/marelle"

    func marelle(clusters: String, _ arguments: String...) async throws -> Shell.Result {
        try await Shell.run(Self.binary, arguments, environment: [
            "MARELLE_DATABASE_URL": TestEnvironment.conninfo, "MARELLE_PATHS_SQL": TestEnvironment.repoRoot + "/sql",
            "MARELLE_LOG_LEVEL": "error", "MARELLE_CLUSTERS": clusters,
        ])
    }

    @Test("tenant move copies an association to a second cluster, checked, then serves it from there; and back")
    func moveAndBack() async throws {
        let shared = try await TestEnvironment.runtime()
        let cluster = try await ScratchCluster.start()
        do {
            let clusters = #"{"second": "\#(cluster.conninfo)"}"#
            let slug = TestEnvironment.uniqueSlug("demenage")
            #expect(try await marelle(clusters: clusters, "tenant", "create", slug, "--name", "Club qui déménage").status == 0)
            #expect(try await marelle(clusters: clusters, "load-fixture", "--tenant", slug, "--families", "5", "--places", "3", "--dates", "2").status == 0)
            let tenant = try await shared.tenants.require(slug: slug)
            let before = try await shared.database.withTenant(try tenant.scope()) { try await TenantSnapshot.fingerprint($0, schema: tenant.schemaName) }
            #expect((before["bookings"]?.rows ?? -1) == 0 && (before["families"]?.rows ?? 0) == 5)

            let moved = try await marelle(clusters: clusters, "tenant", "move", slug, "--to", "second")
            #expect(moved.status == 0, "\(moved.errors)")
            #expect(moved.output.contains("moved \(slug) to second"))
            let leftBehind: Bool = try await shared.database.withConnection { s in
                try await s.queryOne("SELECT to_regnamespace(\(tenant.schemaName)) IS NOT NULL AS present").decode("present")
            }
            #expect(!leftBehind)

            // A server that knows the second cluster serves the association from it.
            var configuration = TestEnvironment.configuration(poolSize: 4)
            configuration.clusters = ["second": cluster.conninfo]
            let runtime = try Runtime(configuration: configuration)
            let there = try await runtime.tenants.require(slug: slug)
            #expect(there.cluster == "second" && there.status == .active)
            let after = try await runtime.database.withTenant(try there.scope()) { try await TenantSnapshot.fingerprint($0, schema: there.schemaName) }
            #expect(after == before)
            try await WebTestServer.with(runtime: runtime) { client in
                let home = try await client.get("/", host: "\(slug).localhost")
                #expect(home.status == .ok && home.text.contains("Club qui déménage"))
            }
            #expect(try await marelle(clusters: clusters, "migrate").status == 0)

            let back = try await marelle(clusters: clusters, "tenant", "move", slug, "--to", "main")
            #expect(back.status == 0, "\(back.errors)")
            let home = try await shared.tenants.require(slug: slug)
            #expect(home.cluster == nil)
            let again = try await shared.database.withTenant(try home.scope()) { try await TenantSnapshot.fingerprint($0, schema: home.schemaName) }
            #expect(again == before)
            #expect(try await marelle(clusters: clusters, "tenant", "move", slug, "--to", "nulle-part").status != 0)
            await runtime.shutdown()
            await cluster.destroy()
        } catch {
            await cluster.destroy()
            throw error
        }
    }

    @Test("an association being moved shows its pages but refuses writes with a maintenance page or a 503 problem")
    func readOnlyWhileMoving() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant(name: "Club en travaux")
        try await runtime.tenants.setStatus(slug: tenant.slug, .moving, operator: "tests")
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            #expect(try await client.get("/", host: host).status == .ok)
            let page = try await client.post("/login", host: host, form: ["email": "a@exemple.fr", "password": "x"])
            #expect(page.status == .serviceUnavailable && page.text.contains("maintenance"))
            let api = try await client.json(.post, "/api/v1/auth/login", host: host, body: #"{"email":"a@exemple.fr","password":"x"}"#)
            #expect(api.status == .serviceUnavailable && api.headers[.contentType] == "application/problem+json")
        }
    }
}
