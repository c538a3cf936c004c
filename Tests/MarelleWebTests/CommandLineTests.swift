import Foundation
import MarelleTestSupport
import Testing

/// The `marelle` executable itself, run as an operator would, against the test cluster.
@Suite("The marelle command line")
struct CommandLineTests {
    static let binary = TestEnvironment.repoRoot + "/.build/debug/marelle"

    func marelle(_ arguments: String...) async throws -> Shell.Result {
        try await Shell.marelle(arguments)
    }

    @Test("create, list, add-host, disable and enable a tenant; migrate reports every schema")
    func lifecycle() async throws {
        try await SchemaWideTests.oneAtATime {
            _ = try await TestEnvironment.runtime()  // the control schema is migrated
            let slug = TestEnvironment.uniqueSlug("cli")
            let created = try await marelle("tenant", "create", slug, "--name", "Club CLI")
            #expect(created.status == 0, "\(created.errors)")
            #expect(created.output.contains("created \(slug)"))
            let listed = try await marelle("tenant", "list")
            let line = try #require(listed.output.split(separator: "\n").first { $0.hasPrefix(slug + " ") })
            #expect(line.contains("active") && line.contains("\"Club CLI\""))
            #expect(try await marelle("tenant", "add-host", slug, "\(slug).mairie.fr").status == 0)
            #expect(try await marelle("tenant", "disable", slug).output.contains("is now disabled"))
            #expect(try await marelle("tenant", "disable", slug).output.contains("was already disabled"))
            #expect(try await marelle("tenant", "enable", slug).status == 0)
            let migrated = try await marelle("migrate")
            #expect(migrated.status == 0)
            #expect(migrated.output.hasPrefix("marelle\tversion "))
            let tenant = try #require(try await TestEnvironment.runtime().tenants.find(slug: slug))
            #expect(migrated.output.contains("\(tenant.schemaName)\tversion "))
        }
    }

    @Test(
        "bad input exits non-zero with one clear line and changes nothing",
        arguments: [
            ["tenant", "create", "Bad_Slug", "--name", "X"],
            ["tenant", "create", "EXISTING", "--name", "Again"],
            ["tenant", "disable", "no-such-tenant-anywhere"],
            ["tenant", "add-host", "no-such-tenant-anywhere", "x.example.fr"],
            ["tenant", "add-host", "EXISTING", "other.localhost"],
            ["tenant", "add-host", "EXISTING", "not a host"],
        ])
    func refused(arguments: [String]) async throws {
        let existing = try await TestEnvironment.makeTenant()
        let runtime = try await TestEnvironment.runtime()
        // Other tests add tenants meanwhile: look at what this command could have touched.
        let snapshot = { () async throws -> [Tenant?] in
            [try await runtime.tenants.find(slug: existing.slug), try await runtime.tenants.find(slug: "bad-slug")]
        }
        let before = try await snapshot()
        let args = arguments.map { $0 == "EXISTING" ? existing.slug : $0 }
        let result = try await Shell.run(
            Self.binary, args,
            environment: [
                "MARELLE_DATABASE_URL": TestEnvironment.conninfo, "MARELLE_PATHS_SQL": TestEnvironment.repoRoot + "/sql",
            ])
        #expect(result.status != 0)
        let lines = result.errors.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("marelle: ") == true)
        #expect(try await snapshot() == before)
        #expect(try await runtime.tenants.hosts(of: existing).isEmpty)
    }

    @Test("user invite creates the first staff account with a mailed link; user disable ends its access")
    func users() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let invited = try await marelle(
            "user", "invite", "--tenant", tenant.slug, "--email", "Directrice@Exemple.fr", "--role", "direction")
        #expect(invited.status == 0, "\(invited.errors)")
        #expect(invited.output.contains("invited directrice@exemple.fr as direction"))
        #expect(!invited.output.contains("jeton="))  // the link goes by mail, not to the terminal
        let mail = try #require(try await AccountFixtures.latestMail(tenant, to: "directrice@exemple.fr"))
        #expect(mail.kind == "invitation")
        #expect(mail.body.contains("membre de l'équipe"))
        let again = try await marelle(
            "user", "invite", "--tenant", tenant.slug, "--email", "directrice@exemple.fr", "--role", "direction")
        #expect(again.status != 0)
        #expect(again.errors.contains("Un compte existe déjà"))
        let badRole = try await marelle("user", "invite", "--tenant", tenant.slug, "--email", "x@exemple.fr", "--role", "admin")
        #expect(badRole.status != 0)
        let parentWithoutFamily = try await marelle(
            "user", "invite", "--tenant", tenant.slug, "--email", "p@exemple.fr", "--role", "parent")
        #expect(parentWithoutFamily.status != 0)
        let disabled = try await marelle("user", "disable", "--tenant", tenant.slug, "--email", "directrice@exemple.fr")
        #expect(disabled.status == 0, "\(disabled.errors)")
        let account = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try AccountStore().find(tx, email: EmailAddress("directrice@exemple.fr")!)
        }
        #expect(account?.isDisabled == true)
        #expect(
            try await marelle("user", "invite", "--tenant", "no-such-tenant", "--email", "x@exemple.fr", "--role", "direction")
                .status != 0)
    }

    @Test("user reset-second-factor removes a lost authenticator and its recovery codes, once")
    func resetSecondFactor() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let (account, _, codes) = try await SecondFactorFixtures.enrolled(in: tenant)
        let reset = try await marelle("user", "reset-second-factor", "--tenant", tenant.slug, "--email", account.email)
        #expect(reset.status == 0, "\(reset.errors)")
        let runtime = try await TestEnvironment.runtime()
        let status = try await runtime.secondFactors.status(tenant: tenant, account: account)
        #expect(!status.enabled)
        #expect(status.recoveryCodesLeft == 0)
        #expect(!codes.isEmpty)
        let again = try await marelle("user", "reset-second-factor", "--tenant", tenant.slug, "--email", account.email)
        #expect(again.status != 0)
        #expect(again.errors.contains("has no second factor"))
        let unknown = try await marelle(
            "user", "reset-second-factor", "--tenant", tenant.slug, "--email", "personne@exemple.fr")
        #expect(unknown.status != 0)
    }

    @Test("tenant commands refuse to run without a tenant named")
    func missingTenant() async throws {
        for command in [
            ["tenant", "create", "--name", "X"], ["tenant", "disable"], ["tenant", "enable"], ["tenant", "add-host"],
        ] {
            let result = try await Shell.run(Self.binary, command)
            #expect(result.status != 0)
            #expect(result.errors.contains("Missing expected argument"))
        }
    }

    @Test(
        "every command answers --help",
        arguments: [
            [], ["serve"], ["migrate"], ["tenant"], ["tenant", "create"], ["tenant", "list"], ["tenant", "disable"],
            ["tenant", "enable"], ["tenant", "add-host"], ["user"], ["user", "invite"], ["user", "disable"],
        ])
    func help(command: [String]) async throws {
        let result = try await Shell.run(Self.binary, command + ["--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("USAGE:"))
    }

    @Test("a bad configuration lists every problem and exits non-zero")
    func badConfiguration() async throws {
        let result = try await Shell.run(
            Self.binary, ["migrate"],
            environment: ["MARELLE_DATABASE_URL": "", "MARELLE_HTTP_PORT": "x", "MARELLE_PATHS_SQL": "/nowhere"])
        #expect(result.status != 0)
        #expect(result.errors.contains("MARELLE_DATABASE_URL"))
        #expect(result.errors.contains("MARELLE_HTTP_PORT"))
        #expect(result.errors.contains("/nowhere"))
    }
}
