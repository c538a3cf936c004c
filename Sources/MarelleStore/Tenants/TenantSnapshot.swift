import Foundation
import MarelleCore
import MarelleDatabase

/// The database side of `marelle backup` and `marelle restore`: what a tenant is outside its
/// schema (its control rows), a fingerprint of its schema's contents (row count and checksum
/// per table) to prove a copy equal, and a tenant row with its role and an empty schema for a
/// copy to be loaded into.
public struct TenantSnapshot: Sendable {
    let database: Database
    let tenants: TenantStore?

    public init(database: Database, tenants: TenantStore? = nil) {
        self.database = database
        self.tenants = tenants
    }

    /// Row count and checksum of one table.
    public struct TableSum: Codable, Sendable, Equatable {
        public let rows: Int
        public let md5: String
    }

    /// Every table of `schema` with its count and checksum: the md5 of the sorted md5s of
    /// its rows' text, read with UTC times and ISO dates so that two clusters agree.
    public static func fingerprint(_ session: Session, schema: String) async throws -> [String: TableSum] {
        try await session.execute("SET LOCAL TimeZone = 'UTC'")
        try await session.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        try await session.execute("SET LOCAL extra_float_digits = 3")
        let tables: [String] = try await session.query(
            """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(schema) AND c.relkind IN ('r', 'p') ORDER BY c.relname
            """
        ).map { try $0.decode("relname") }
        var sums: [String: TableSum] = [:]
        for table in tables {
            let row = try await session.queryOne(
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
        try await database.withTransaction { session in try await Self.fingerprint(session, schema: tenant.schemaName) }
    }

    /// Runs `body` with the id of an exported snapshot (for `pg_dump --snapshot`) and the
    /// tenant's fingerprint read in that same snapshot: the dump and its checksums describe
    /// the same instant even while parents keep booking.
    public func withSnapshot<T: Sendable>(
        of tenant: Tenant, _ body: @Sendable (_ snapshot: String) async throws -> T
    ) async throws -> (T, [String: TableSum]) {
        try await database.withTransaction { session in
            try await session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let snapshot: String = try await session.queryOne("SELECT pg_export_snapshot() AS id").decode("id")
            let sums = try await Self.fingerprint(session, schema: tenant.schemaName)
            return (try await body(snapshot), sums)
        }
    }

    /// The tenant row, its role and an empty schema owned by the role, for a restore to fill;
    /// no migrations run (the copy brings its own `schema_migrations`).
    public func createEmpty(slug rawSlug: String, displayName: String, status: Tenant.Status, operator actor: String) async throws -> Tenant {
        let slug: TenantSlug
        do { slug = try TenantSlug(rawSlug) } catch { throw TenantError.invalidSlug(error.description) }
        do {
            return try await database.withTransaction { session in
                let row = try await session.queryOne(
                    """
                    WITH next AS (SELECT nextval('marelle.tenant_id_seq') AS id)
                    INSERT INTO marelle.tenants AS t (id, slug, display_name, schema_name, role_name, status)
                    SELECT next.id, \(slug.value), \(displayName), 't_' || next.id,
                           'mr_' || left(regexp_replace(lower(current_database()), '[^a-z0-9_]', '_', 'g'), 30)
                               || '_t_' || next.id, \(status.rawValue)
                    FROM next
                    RETURNING \(TenantStore.columns)
                    """)
                let tenant = try TenantStore.decode(row)
                let scope = try tenant.scope()
                try await session.execute("CREATE ROLE \(identifier: scope.role) NOLOGIN")
                try await session.execute("GRANT \(identifier: scope.role) TO CURRENT_USER")
                try await session.execute("CREATE SCHEMA \(identifier: scope.schema) AUTHORIZATION \(identifier: scope.role)")
                try await tenants?.grantServing(session, tenants: [tenant])
                try await TenantStore.audit(session, actor: actor, action: "tenant.restore", tenant: tenant, detail: [:])
                return tenant
            }
        } catch let error as DatabaseError where error.isUniqueViolation {
            throw TenantError.slugTaken(slug.value)
        }
    }

    /// Removes a tenant whose restore failed half-way: its schema, its row (and hosts), its role.
    public func dropIncomplete(_ tenant: Tenant) async throws {
        let scope = try tenant.scope()
        try await database.withTransaction { session in
            try await session.execute("DROP SCHEMA IF EXISTS \(identifier: scope.schema) CASCADE")
            try await session.execute("DELETE FROM marelle.tenants WHERE id = \(tenant.id)")
            try await session.execute("DROP ROLE IF EXISTS \(identifier: scope.role)")
        }
    }
}
