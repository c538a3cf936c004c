import MarelleCore
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("Tenants in the control schema")
struct TenantStoreTests {
    @Test("creating a tenant makes its schema, its role, its tables, its settings and an audit line")
    func create() async throws {
        let runtime = try await TestEnvironment.runtime()
        let slug = TestEnvironment.uniqueSlug()
        let tenant = try await runtime.tenants.create(slug: slug, displayName: "  Les Petits Malins  ", operator: "alice")
        #expect(tenant.slug == slug)
        #expect(tenant.displayName == "Les Petits Malins")
        #expect(tenant.schemaName == "t_\(tenant.id)")
        #expect(tenant.status == .active)
        let row = try await runtime.database.withConnection { s in
            try s.queryOne(
                """
                SELECT (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = \(tenant.schemaName)) AS owner,
                       (SELECT count(*) FROM marelle.operator_audit WHERE tenant_id = \(tenant.id) AND action = 'tenant.create' AND operator = 'alice') AS audits
                """)
        }
        #expect(try row.decode("owner", as: String.self) == tenant.roleName)
        #expect(try row.decode("audits", as: Int.self) == 1)
        let settings = try await runtime.associations.settings(of: tenant)
        #expect(settings.displayName == "Les Petits Malins")
    }

    @Test(
        "a taken slug, a bad slug or an empty name is refused and changes nothing",
        arguments: [
            ("taken", "Nom"), ("Bad_Slug", "Nom"), ("ok-slug", "   "), ("", "Nom"), ("a.b", "Nom"),
        ])
    func refused(kind: String, name: String) async throws {
        try await SchemaWideTests.oneAtATime {
            let runtime = try await TestEnvironment.runtime()
            let existing = try await TestEnvironment.makeTenant()
            let slug =
                switch kind {
                case "taken": existing.slug
                case "ok-slug": TestEnvironment.uniqueSlug()
                default: kind
                }
            // Other tests create tenants at the same time: count what this attempt could have
            // left behind, not the totals. Schemas and roles of uncommitted transactions are
            // invisible here (the catalogs are MVCC too), so an orphan is a real leak.
            let count: () async throws -> [Int] = {
                try await runtime.database.withConnection { s in
                    let r = try s.queryOne(
                        """
                        SELECT (SELECT count(*) FROM marelle.tenants WHERE slug = \(slug)) AS same_slug,
                               (SELECT count(*) FROM pg_namespace n WHERE n.nspname LIKE 't\\_%'
                                  AND NOT EXISTS (SELECT 1 FROM marelle.tenants t WHERE t.schema_name = n.nspname)) AS orphan_schemas,
                               (SELECT count(*) FROM pg_roles r WHERE r.rolname LIKE 'mr\\_%'
                                  AND NOT EXISTS (SELECT 1 FROM marelle.tenants t WHERE t.role_name = r.rolname)) AS orphan_roles
                        """)
                    return [try r.decode("same_slug"), try r.decode("orphan_schemas"), try r.decode("orphan_roles")]
                }
            }
            let before = try await count()
            await #expect(throws: TenantError.self) {
                try await runtime.tenants.create(slug: slug, displayName: name, operator: "tests")
            }
            let after = try await count()
            #expect(before == after)
            #expect(after[1] == 0 && after[2] == 0)
        }
    }

    @Test("disable and enable toggle the status; a second disable says nothing changed")
    func status() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant()
        #expect(try await runtime.tenants.setStatus(slug: tenant.slug, .disabled, operator: "t"))
        #expect(try await !runtime.tenants.setStatus(slug: tenant.slug, .disabled, operator: "t"))
        #expect(try await runtime.tenants.require(slug: tenant.slug).status == .disabled)
        #expect(try await runtime.tenants.setStatus(slug: tenant.slug, .active, operator: "t"))
        await #expect(throws: TenantError.unknownTenant("no-such-tenant")) {
            try await runtime.tenants.setStatus(slug: "no-such-tenant", .disabled, operator: "t")
        }
    }

    @Test(
        "the registry resolves hosts to active tenants only",
        arguments: [
            "known", "upper", "port", "extra", "unknown", "disabled", "evil", "nested",
        ])
    func registry(kind: String) async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant()
        let extra = "portail-\(tenant.id).ville-exemple.fr"
        _ = try await runtime.tenants.addHost(slug: tenant.slug, host: extra.uppercased(), operator: "t")
        let (host, expected): (String, Tenant?) =
            switch kind {
            case "known": ("\(tenant.slug).localhost", tenant)
            case "upper": ("\(tenant.slug.uppercased()).LOCALHOST", tenant)
            case "port": ("\(tenant.slug).localhost:8080", tenant)
            case "extra": ("\(extra):443", tenant)
            case "unknown": ("nope-\(tenant.id).localhost", nil)
            case "disabled": ("\(tenant.slug).localhost", nil)
            case "evil": ("evil.com", nil)
            default: ("x.\(tenant.slug).localhost", nil)
            }
        if kind == "disabled" { try await runtime.tenants.setStatus(slug: tenant.slug, .disabled, operator: "t") }
        #expect(try await runtime.registry.resolve(host: host)?.id == expected?.id)
    }

    @Test("an extra host can belong to one tenant only, and must be a host name")
    func extraHosts() async throws {
        let runtime = try await TestEnvironment.runtime()
        let a = try await TestEnvironment.makeTenant()
        let b = try await TestEnvironment.makeTenant()
        let host = "famille-\(a.id).example.fr"
        #expect(try await runtime.tenants.addHost(slug: a.slug, host: host, operator: "t") == host)
        await #expect(throws: TenantError.hostTaken(host)) {
            try await runtime.tenants.addHost(slug: b.slug, host: host, operator: "t")
        }
        await #expect(throws: TenantError.invalidHost("bad host!")) {
            try await runtime.tenants.addHost(slug: b.slug, host: "bad host!", operator: "t")
        }
        await #expect(throws: TenantError.unknownTenant("nobody-here")) {
            try await runtime.tenants.addHost(slug: "nobody-here", host: "x.example.fr", operator: "t")
        }
        #expect(try await runtime.tenants.hosts(of: b).isEmpty)
    }
}
