import Foundation
import MarelleCore
import MarelleDatabase

/// The database side of `marelle backup`, `restore` and `tenant move`: a fingerprint of a
/// tenant schema's contents (row count and checksum per table) to prove a copy equal, read in
/// the snapshot a dump is taken from.
public struct TenantSnapshot: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Row count and checksum of one table.
    public struct TableSum: Codable, Sendable, Equatable {
        public let rows: Int
        public let md5: String
    }

    /// Every table of `schema` with its count and checksum: the md5 of the sorted md5s of
    /// its rows' text, read with UTC times and ISO dates so that two clusters agree.
    public static func fingerprint(_ session: Session, schema: String) throws -> [String: TableSum] {
        try session.execute("SET LOCAL TimeZone = 'UTC'")
        try session.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        try session.execute("SET LOCAL extra_float_digits = 3")
        let tables: [String] = try session.query(
            """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(schema) AND c.relkind IN ('r', 'p') ORDER BY c.relname
            """
        ).map { try $0.decode("relname") }
        var sums: [String: TableSum] = [:]
        for table in tables {
            let row = try session.queryOne(
                """
                SELECT count(*)::int AS rows, coalesce(md5(string_agg(r.h, '' ORDER BY r.h)), '') AS md5
                FROM (SELECT md5(t::text) AS h FROM \(identifier: schema).\(identifier: table) t) r
                """)
            sums[table] = TableSum(rows: try row.decode("rows"), md5: try row.decode("md5"))
        }
        return sums
    }

    /// The fingerprint in a transaction of its own.
    public func fingerprint(_ tenant: Tenant) async throws -> [String: TableSum] {
        try await database.withTransaction { session in try Self.fingerprint(session, schema: tenant.schemaName) }
    }

    /// Runs `body` with the id of an exported snapshot (for `pg_dump --snapshot`) and the
    /// tenant's fingerprint read in that same snapshot: the dump and its checksums describe
    /// the same instant even while parents keep booking. With `lockingWrites`, every table of
    /// the schema is share-locked first, so writers in flight finish before the snapshot and
    /// new ones wait until `body` is done (a move: nothing may land after the copy).
    public func withSnapshot<T: Sendable>(
        of tenant: Tenant, lockingWrites: Bool = false,
        _ body: @Sendable (_ snapshot: String, _ sums: [String: TableSum]) async throws -> T
    ) async throws -> T {
        try await database.withHeldTransaction { held in
            let (snapshot, sums) = try await held.run { session in
                // A read-only transaction may not take SHARE locks.
                try session.execute(
                    lockingWrites
                        ? "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
                        : "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                if lockingWrites {
                    let tables: [String] = try session.query(
                        "SELECT tablename FROM pg_tables WHERE schemaname = \(tenant.schemaName) ORDER BY tablename"
                    ).map { try $0.decode("tablename") }
                    let names = tables.map { table -> SQL in "\(identifier: tenant.schemaName).\(identifier: table)" }
                    try session.execute("LOCK TABLE " + SQL.join(names, separator: ", ") + " IN SHARE MODE")
                }
                let snapshot: String = try session.queryOne("SELECT pg_export_snapshot() AS id").decode("id")
                return (snapshot, try Self.fingerprint(session, schema: tenant.schemaName))
            }
            return try await body(snapshot, sums)
        }
    }

    /// The tables whose count or checksum differ between two fingerprints (or that only one has).
    public static func differing(_ a: [String: TableSum], _ b: [String: TableSum]) -> [String] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }
}
