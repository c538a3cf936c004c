import Foundation
import MarelleCore
import MarelleDatabase

/// The control schema's tenants and their host names.
public struct TenantStore: Sendable {
    let database: Database
    let tenantMigrator: Migrator
    /// The role `marelle serve` logs in as, when it is not the one running the CLI (Deploy/
    /// README.md): it owns nothing and is only made a member of each tenant's role.
    let servingRole: String?

    public init(database: Database, tenantMigrator: Migrator, servingRole: String? = nil) {
        self.database = database
        self.tenantMigrator = tenantMigrator
        self.servingRole = servingRole
    }

    /// Lets the serving role read the tenants and their hosts and act as each tenant's role;
    /// run by `marelle migrate` and after each tenant creation. Idempotent.
    public func grantServing(_ session: Session, tenants: [Tenant]) throws {
        guard let serving = servingRole else { return }
        // NOINHERIT: membership lets it SET ROLE to a tenant's role inside `withTenant`, but
        // gives it no tenant's privileges outside that scope.
        try session.execute("ALTER ROLE \(identifier: serving) NOINHERIT")
        try session.execute("GRANT USAGE ON SCHEMA marelle TO \(identifier: serving)")
        try session.execute("GRANT SELECT ON marelle.tenants, marelle.tenant_hosts TO \(identifier: serving)")
        for tenant in tenants {
            try session.execute("GRANT \(identifier: tenant.roleName) TO \(identifier: serving)")
        }
    }

    /// `grantServing` for every tenant, in a transaction of its own.
    public func grantServingAll() async throws {
        guard servingRole != nil else { return }
        let all = try await list()
        try await database.withTransaction { session in try grantServing(session, tenants: all) }
    }

    static let columns: SQL = "t.id, t.slug, t.display_name, t.schema_name, t.role_name, t.status, t.created_at, t.cluster"

    /// Creates the tenant row, its role (which can see its schema only), its schema, and runs
    /// the tenant migrations, all in one transaction: a tenant exists complete or not at all.
    public func create(slug rawSlug: String, displayName rawName: String, operator actor: String) async throws -> Tenant {
        let slug: TenantSlug
        do { slug = try TenantSlug(rawSlug) } catch { throw TenantError.invalidSlug(error.description) }
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else { throw TenantError.invalidName }
        let migrator = tenantMigrator
        do {
            return try await database.withTransaction { session in
                let tenant = try insertEmpty(
                    session, slug: slug, displayName: name, status: .active, actor: actor, action: "tenant.create")
                let scope = try tenant.scope()
                _ = try migrator.migrateInCurrentTransaction(.tenant(scope), on: session)
                try session.execute(
                    "INSERT INTO association_settings (display_name) VALUES (\(tenant.displayName))")
                return tenant
            }
        } catch let error as DatabaseError where error.isUniqueViolation {
            throw TenantError.slugTaken(slug.value)
        }
    }

    /// The tenant row, its role and its empty schema, in the caller's transaction: what a new
    /// tenant and a restored one (`TenantSnapshot.createEmpty`) have in common.
    func insertEmpty(
        _ session: Session, slug: TenantSlug, displayName: String, status: Tenant.Status, actor: String, action: String
    ) throws -> Tenant {
        let row = try session.queryOne(
            """
            WITH next AS (SELECT nextval('marelle.tenant_id_seq') AS id)
            INSERT INTO marelle.tenants AS t (id, slug, display_name, schema_name, role_name, status)
            SELECT next.id, \(slug.value), \(displayName), 't_' || next.id,
                   'mr_' || left(regexp_replace(lower(current_database()), '[^a-z0-9_]', '_', 'g'), 30)
                       || '_t_' || next.id, \(status.rawValue)
            FROM next
            RETURNING \(Self.columns)
            """)
        let tenant = try Self.decode(row)
        try Self.createRoleAndSchema(session, tenant)
        try grantServing(session, tenants: [tenant])
        try Self.audit(session, actor: actor, action: action, tenant: tenant, detail: [:])
        return tenant
    }

    /// The tenant's role (unless this cluster has it already, as after a move back), which the
    /// connected role may act as, and its empty schema owned by it: on the control schema's
    /// cluster or, for `marelle tenant move`, on another.
    public static func createRoleAndSchema(_ session: Session, _ tenant: Tenant) throws {
        if try session.queryFirst("SELECT 1 AS one FROM pg_roles WHERE rolname = \(tenant.roleName)") == nil {
            try session.execute("CREATE ROLE \(identifier: tenant.roleName) NOLOGIN")
        }
        try session.execute("GRANT \(identifier: tenant.roleName) TO CURRENT_USER")
        try session.execute("CREATE SCHEMA \(identifier: tenant.schemaName) AUTHORIZATION \(identifier: tenant.roleName)")
    }

    /// The tenant's schema and then its role, on the cluster of `database` (a failed restore,
    /// or the copy a move left behind). The role stays if it still owns something elsewhere.
    public static func dropSchemaAndRole(_ database: Database, _ tenant: Tenant) async throws {
        try await database.withTransaction { session in
            try session.execute("DROP SCHEMA IF EXISTS \(identifier: tenant.schemaName) CASCADE")
        }
        _ = try? await database.withConnection { session in
            try session.execute("DROP ROLE IF EXISTS \(identifier: tenant.roleName)")
        }
    }

    /// The tenant row, its role and an empty schema for a restore to fill; no migrations run
    /// (the copy brings its own `schema_migrations`).
    public func createEmpty(slug rawSlug: String, displayName: String, status: Tenant.Status, operator actor: String) async throws
        -> Tenant
    {
        let slug: TenantSlug
        do { slug = try TenantSlug(rawSlug) } catch { throw TenantError.invalidSlug(error.description) }
        do {
            return try await database.withTransaction { session in
                try insertEmpty(
                    session, slug: slug, displayName: displayName, status: status, actor: actor, action: "tenant.restore")
            }
        } catch let error as DatabaseError where error.isUniqueViolation {
            throw TenantError.slugTaken(slug.value)
        }
    }

    /// Removes a tenant whose restore failed half-way: its row (and hosts), its schema, its role.
    public func dropIncomplete(_ tenant: Tenant) async throws {
        try await database.withConnection { session in try session.execute("DELETE FROM marelle.tenants WHERE id = \(tenant.id)")
        }
        try await Self.dropSchemaAndRole(database, tenant)
    }

    public func list() async throws -> [Tenant] {
        try await database.withConnection { session in
            try session.query("SELECT \(Self.columns) FROM marelle.tenants t ORDER BY t.slug").map(Self.decode)
        }
    }

    public func find(slug: String) async throws -> Tenant? {
        try await database.withConnection { session in
            try session.queryFirst("SELECT \(Self.columns) FROM marelle.tenants t WHERE t.slug = \(slug)")
                .map(Self.decode)
        }
    }

    /// The tenant a registered extra host name belongs to.
    public func find(extraHost host: String) async throws -> Tenant? {
        try await database.withConnection { session in
            try session.queryFirst(
                """
                SELECT \(Self.columns) FROM marelle.tenant_hosts h
                JOIN marelle.tenants t ON t.id = h.tenant_id WHERE h.host = \(host)
                """
            ).map(Self.decode)
        }
    }

    public func require(slug: String) async throws -> Tenant {
        guard let tenant = try await find(slug: slug) else { throw TenantError.unknownTenant(slug) }
        return tenant
    }

    /// Sets the status; returns false when it already had it (nothing changed).
    @discardableResult
    public func setStatus(slug: String, _ status: Tenant.Status, operator actor: String) async throws -> Bool {
        try await database.withTransaction { session in
            guard
                let row = try session.queryFirst(
                    "SELECT \(Self.columns) FROM marelle.tenants t WHERE t.slug = \(slug) FOR UPDATE")
            else { throw TenantError.unknownTenant(slug) }
            let tenant = try Self.decode(row)
            guard tenant.status != status else { return false }
            try session.execute("UPDATE marelle.tenants SET status = \(status.rawValue) WHERE id = \(tenant.id)")
            try Self.audit(
                session, actor: actor, action: "tenant.\(status == .active ? "enable" : "disable")", tenant: tenant, detail: [:])
            return true
        }
    }

    /// After `marelle tenant move` copied and checked the schema: the tenant now lives on
    /// `cluster` (nil: this one) and gets its status back.
    public func moved(_ tenant: Tenant, to cluster: String?, status: Tenant.Status, operator actor: String) async throws {
        try await database.withTransaction { session in
            try session.execute(
                "UPDATE marelle.tenants SET cluster = \(cluster), status = \(status.rawValue) WHERE id = \(tenant.id)")
            try Self.audit(
                session, actor: actor, action: "tenant.move", tenant: tenant,
                detail: ["from": tenant.cluster ?? "main", "to": cluster ?? "main"])
        }
    }

    public func addHost(slug: String, host rawHost: String, operator actor: String) async throws -> String {
        guard let host = HostName.normalize(rawHost), host.contains(".") || host == "localhost" else {
            throw TenantError.invalidHost(rawHost)
        }
        do {
            return try await database.withTransaction { session in
                guard
                    let row = try session.queryFirst(
                        "SELECT \(Self.columns) FROM marelle.tenants t WHERE t.slug = \(slug)")
                else { throw TenantError.unknownTenant(slug) }
                let tenant = try Self.decode(row)
                try session.execute(
                    "INSERT INTO marelle.tenant_hosts (host, tenant_id) VALUES (\(host), \(tenant.id))")
                try Self.audit(session, actor: actor, action: "tenant.add-host", tenant: tenant, detail: ["host": host])
                return host
            }
        } catch let error as DatabaseError where error.isUniqueViolation {
            throw TenantError.hostTaken(host)
        }
    }

    public func hosts(of tenant: Tenant) async throws -> [String] {
        try await database.withConnection { session in
            try session.query("SELECT host FROM marelle.tenant_hosts WHERE tenant_id = \(tenant.id) ORDER BY host")
                .map { try $0.decode("host") }
        }
    }

    static func decode(_ row: Row) throws -> Tenant {
        Tenant(
            id: try row.decode("id"),
            slug: try row.decode("slug"),
            displayName: try row.decode("display_name"),
            schemaName: try row.decode("schema_name"),
            roleName: try row.decode("role_name"),
            status: Tenant.Status(rawValue: try row.decode("status")) ?? .disabled,
            createdAt: try row.decode("created_at"),
            cluster: try row.decode("cluster"))
    }

    static func audit(_ session: Session, actor: String, action: String, tenant: Tenant, detail: [String: String]) throws {
        try session.execute(
            """
            INSERT INTO marelle.operator_audit (operator, action, tenant_id, tenant_slug, detail)
            VALUES (\(actor), \(action), \(tenant.id), \(tenant.slug), \(JSONB(JSONText.object(detail))))
            """)
    }
}

extension Tenant {
    /// The schema and role `withTenant` scopes to.
    public func scope() throws -> TenantScope {
        try TenantScope(schema: schemaName, role: roleName, cluster: cluster)
    }
}
