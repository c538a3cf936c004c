import Foundation
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("Backups: an association dumped, restored into a fresh cluster or beside itself, equal table by table")
struct BackupRestoreTests {
    func marelle(on conninfo: String = TestEnvironment.conninfo, _ arguments: String...) async throws -> Shell.Result {
        try await Shell.marelle(arguments, environment: ["MARELLE_DATABASE_URL": conninfo])
    }

    /// Row count and checksum of every table of a tenant, read on `conninfo`'s cluster.
    func fingerprint(_ conninfo: String, slug: String) async throws -> [String: TenantSnapshot.TableSum] {
        let database = Database(configuration: PoolConfiguration(conninfo: conninfo, maxConnections: 1))
        let sums = try await database.withTransaction { session in
            let schema: String = try session.queryOne("SELECT schema_name FROM marelle.tenants WHERE slug = \(slug)").decode(
                "schema_name")
            return try TenantSnapshot.fingerprint(session, schema: schema)
        }
        await database.close()
        return sums
    }

    /// A tenant with families, bookings, a showcase year and an extra host.
    func seeded(_ prefix: String) async throws -> String {
        _ = try await TestEnvironment.runtime()
        let slug = TestEnvironment.uniqueSlug(prefix)
        for arguments in [
            ["tenant", "create", slug, "--name", "Club à sauver"], ["tenant", "add-host", slug, "\(slug).exemple.fr"],
            [
                "load-fixture", "--tenant", slug, "--families", "6", "--places", "3", "--dates", "2", "--showcase-password",
                "un long mot de passe",
            ],
        ] {
            let result = try await Shell.marelle(arguments)
            #expect(result.status == 0, "\(arguments[0]): \(result.errors)")
        }
        return slug
    }

    @Test("restore drill: dump, restore into a fresh cluster, per-table row counts and checksums equal; hosts come along")
    func drill() async throws {
        let slug = try await seeded("sauve")
        let file = NSTemporaryDirectory() + "/\(slug).sql"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let backup = try await marelle("backup", "--tenant", slug, "--out", file)
        #expect(backup.status == 0, "\(backup.errors)")
        let cluster = try await ScratchCluster.start()
        do {
            #expect(try await marelle(on: cluster.conninfo, "migrate").status == 0)
            let restored = try await marelle(on: cluster.conninfo, "restore", "--file", file)
            #expect(restored.status == 0, "\(restored.errors)")
            #expect(restored.output.contains("restored \(slug)"))
            let original = try await fingerprint(TestEnvironment.conninfo, slug: slug)
            let copy = try await fingerprint(cluster.conninfo, slug: slug)
            #expect(original.count > 20 && (original["bookings"]?.rows ?? 0) > 500)
            #expect(copy == original)
            #expect(try await marelle(on: cluster.conninfo, "tenant", "list").output.contains("\(slug).exemple.fr"))
            // The restored association works: its migrations are recorded, a new family can be made.
            let created = try await marelle(
                on: cluster.conninfo, "family", "create", "--tenant", slug, "--name", "Nouvelle",
                "--parent-email", "nouvelle@exemple.fr")
            #expect(created.status == 0, "\(created.errors)")
            // --all-tenants here, on a cluster that holds this association alone: on the shared
            // test database it would dump every association the other tests make meanwhile.
            let folder = NSTemporaryDirectory() + "/all-\(slug)"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let all = try await marelle(on: cluster.conninfo, "backup", "--all-tenants", "--out", folder)
            #expect(all.status == 0, "\(all.errors)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["\(slug).sql"])
            await cluster.destroy()
        } catch {
            await cluster.destroy()
            throw error
        }
    }

    @Test(
        "restore --as makes a copy beside the original; the same slug again, or a file that is not a backup, is refused and leaves nothing"
    )
    func beside() async throws {
        try await SchemaWideTests.oneAtATime {
            let slug = try await seeded("copie")
            let dir = NSTemporaryDirectory() + "/copie-\(slug)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let file = dir + "/\(slug).sql"
            #expect(try await marelle("backup", "--tenant", slug, "--out", file).status == 0)
            let copySlug = slug + "-bis"
            let restored = try await marelle("restore", "--file", file, "--as", copySlug)
            #expect(restored.status == 0, "\(restored.errors)")
            #expect(
                try await fingerprint(TestEnvironment.conninfo, slug: copySlug)
                    == fingerprint(TestEnvironment.conninfo, slug: slug))
            let before = try await marelle("tenant", "list").output
            let again = try await marelle("restore", "--file", file)
            #expect(again.status != 0 && again.errors.contains("already exists"))
            let bogus = dir + "/pas-une-sauvegarde.sql"
            try "SELECT 1;\n".write(toFile: bogus, atomically: true, encoding: .utf8)
            let refused = try await marelle("restore", "--file", bogus, "--as", slug + "-ter")
            #expect(refused.status != 0 && refused.errors.contains("not a marelle backup"))
            // Other tests create associations meanwhile: compare this one's lines only.
            func ours(_ list: String) -> [String] { list.split(separator: "\n").map(String.init).filter { $0.hasPrefix(slug) } }
            let after = try await marelle("tenant", "list").output
            #expect(ours(after) == ours(before) && !after.contains("\(slug)-ter"))
        }
    }
}
