/// Applies migration files to one schema: in order, each once, each in its own transaction,
/// recorded (with a checksum of its text) in the schema's own `schema_migrations` table.
///
/// A transaction-level advisory lock keyed on the schema name makes concurrent migrators
/// (two servers starting, an operator running `marelle migrate` twice) take turns.
public struct Migrator: Sendable {
    public enum Target: Sendable {
        /// The shared control schema `marelle`, migrated as the connecting (owner) role.
        case control
        /// A tenant schema, migrated as the tenant's role so that the tenant owns its tables.
        case tenant(TenantScope)

        var schema: String {
            switch self {
            case .control: "marelle"
            case .tenant(let scope): scope.schema
            }
        }
    }

    public let files: [MigrationFile]

    public init(files: [MigrationFile]) {
        self.files = files
    }

    /// Brings `target` up to date; returns the version it is at afterwards.
    @discardableResult
    public func migrate(_ target: Target, database main: Database) async throws -> Int {
        // A tenant's schema may live on another cluster.
        let database = if case .tenant(let scope) = target { try await main.holding(scope) } else { main }
        var version = 0
        // One transaction just to read the state; then one per file still to apply.
        let applied = try await database.withTransaction { session in
            try prepare(target, on: session)
            return try appliedVersions(on: session)
        }
        try verify(applied, target: target)
        version = applied.keys.max() ?? 0
        for file in files where applied[file.version] == nil {
            try await database.withTransaction { session in
                try prepare(target, on: session)
                // Another migrator may have applied it while we waited for the lock.
                if try appliedVersions(on: session)[file.version] == nil {
                    try apply(file, target: target, on: session)
                }
            }
            version = file.version
        }
        return version
    }

    /// Applies every missing file inside the caller's transaction (used when a tenant is
    /// created, so that a tenant exists fully migrated or not at all).
    public func migrateInCurrentTransaction(_ target: Target, on session: Session) throws -> Int {
        try prepare(target, on: session)
        let applied = try appliedVersions(on: session)
        try verify(applied, target: target)
        var version = applied.keys.max() ?? 0
        for file in files where applied[file.version] == nil {
            try apply(file, target: target, on: session)
            version = file.version
        }
        return version
    }

    /// The version a schema is at, without changing anything (0 when never migrated).
    public static func currentVersion(of target: Target, on session: Session) throws -> Int {
        let row = try session.queryOne(
            """
            SELECT to_regclass(\(target.schema + ".schema_migrations")) IS NOT NULL AS present
            """)
        guard try row.decode("present", as: Bool.self) else { return 0 }
        return try session.queryOne(
            "SELECT coalesce(max(version), 0) AS v FROM \(identifier: target.schema).schema_migrations"
        ).decode("v")
    }

    private func prepare(_ target: Target, on session: Session) throws {
        try session.execute("SELECT pg_advisory_xact_lock(hashtext(\("marelle.migrate." + target.schema)))")
        switch target {
        case .control:
            try session.execute("CREATE SCHEMA IF NOT EXISTS marelle")
            try session.execute("SELECT set_config('search_path', 'marelle', true)")
        case .tenant(let scope):
            try Database.enterTenant(scope, on: session)
        }
        try session.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    private func appliedVersions(on session: Session) throws -> [Int: String] {
        var applied: [Int: String] = [:]
        for row in try session.query("SELECT version, checksum FROM schema_migrations") {
            applied[try row.decode("version")] = try row.decode("checksum", as: String.self)
        }
        return applied
    }

    private func verify(_ applied: [Int: String], target: Target) throws {
        for file in files {
            if let checksum = applied[file.version], checksum != Self.checksum(file.sql) {
                throw MigrationError.changedAfterApplied(schema: target.schema, version: file.version, name: file.name)
            }
        }
    }

    private func apply(_ file: MigrationFile, target: Target, on session: Session) throws {
        do {
            try session.unsafeExecuteScript(file.sql)
        } catch let error as DatabaseError {
            throw MigrationError.failed(
                schema: target.schema, version: file.version, name: file.name, underlying: error.description)
        }
        try session.execute(
            """
            INSERT INTO schema_migrations (version, name, checksum)
            VALUES (\(file.version), \(file.name), \(Self.checksum(file.sql)))
            """)
    }

    /// FNV-1a (64 bits) of the file's bytes: not for security, only to notice that a file
    /// was edited after it was applied.
    static func checksum(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
