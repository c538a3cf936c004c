import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    /// Tables, columns and versions of a schema: what a second migration run must not change.
    func fingerprint(_ schema: String, _ database: Database) async throws -> [String] {
        try await database.withConnection { s in
            try s.query(
                """
                SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) AS f
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE n.nspname = \(schema)
                UNION ALL SELECT 'version ' || version || ' ' || checksum FROM \(identifier: schema).schema_migrations
                ORDER BY 1
                """
            ).map { try $0.decode("f") }
        }
    }

    @Test("running every migration twice changes nothing")
    func idempotent() async throws {
        try await SchemaWideTests.oneAtATime {
            let runtime = try await TestEnvironment.runtime()
            let tenant = try await TestEnvironment.makeTenant()
            let before = (
                try await fingerprint("marelle", runtime.database), try await fingerprint(tenant.schemaName, runtime.database)
            )
            var reported: [String: Int] = [:]
            try await runtime.migrateAll { reported[$0] = $1 }
            try await runtime.migrateAll { reported[$0] = $1 }
            let after = (
                try await fingerprint("marelle", runtime.database), try await fingerprint(tenant.schemaName, runtime.database)
            )
            #expect(before.0 == after.0)
            #expect(before.1 == after.1)
            #expect(reported[tenant.schemaName] == runtime.tenantMigrator.files.last?.version)
            #expect(reported["marelle"] == runtime.controlMigrator.files.last?.version)
        }
    }

    @Test("a migration edited after it was applied is refused, not silently skipped")
    func editedMigration() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant()
        var files = runtime.tenantMigrator.files
        files[0] = MigrationFile(version: files[0].version, name: files[0].name, sql: files[0].sql + "\n-- edited\n")
        await #expect(throws: MigrationError.self) {
            try await Migrator(files: files).migrate(.tenant(try tenant.scope()), database: runtime.database)
        }
    }

    @Test("a new migration is applied once, in order, and recorded")
    func newMigration() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant()
        let next = (runtime.tenantMigrator.files.last?.version ?? 0) + 1
        let files =
            runtime.tenantMigrator.files + [MigrationFile(version: next, name: "extra", sql: "CREATE TABLE extra (n int);")]
        let migrator = Migrator(files: files)
        #expect(try await migrator.migrate(.tenant(try tenant.scope()), database: runtime.database) == next)
        #expect(try await migrator.migrate(.tenant(try tenant.scope()), database: runtime.database) == next)
        let owner = try await runtime.database.withConnection { s in
            try s.queryOne("SELECT tableowner FROM pg_tables WHERE schemaname = \(tenant.schemaName) AND tablename = 'extra'")
                .decode("tableowner", as: String.self)
        }
        #expect(owner == tenant.roleName)
    }

    @Test("a failing migration leaves the schema at its previous version")
    func failingMigration() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant()
        let version = runtime.tenantMigrator.files.last?.version ?? 0
        let files =
            runtime.tenantMigrator.files + [
                MigrationFile(
                    version: version + 1, name: "broken", sql: "CREATE TABLE half (n int); SELECT * FROM missing_table;")
            ]
        await #expect(throws: MigrationError.self) {
            try await Migrator(files: files).migrate(.tenant(try tenant.scope()), database: runtime.database)
        }
        let state = try await runtime.database.withConnection { s in
            try s.queryOne(
                "SELECT to_regclass(\(tenant.schemaName + ".half")) IS NULL AS gone, (SELECT max(version) FROM \(identifier: tenant.schemaName).schema_migrations) AS v"
            )
        }
        #expect(try state.decode("gone", as: Bool.self))
        #expect(try state.decode("v", as: Int.self) == version)
    }

    @Test("migration folders refuse badly named or duplicated files")
    func loading() throws {
        let files = try MigrationFile.load(directory: TestEnvironment.repoRoot + "/sql/tenant")
        #expect(!files.isEmpty)
        #expect(files.map(\.version) == files.map(\.version).sorted())
        #expect(throws: (any Error).self) { try MigrationFile.load(directory: "/nonexistent/sql") }
    }
}
