import Foundation
import MarelleTestSupport
import Testing

@Suite("marelle family create and import")
struct FamilyImportTests {
    static let header =
        "family;guardian_civility;guardian_first_name;guardian_last_name;guardian_email;guardian_mobile_phone;invite;child_first_name;child_last_name;child_birth_date;child_level;child_allergies"

    func families(_ tenant: Tenant) async throws -> [FamilyStore.Family] {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in try FamilyStore().list(tx) }
    }

    @Test("a good file imports families, parents, children and sends the invitations asked for")
    func good() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let csv = """
            \(Self.header)
            Durand;Mme;Anne;Durand;anne.durand@exemple.fr;06 01 02 03 04;oui;Lucas;Durand;12/05/2018;CP;"gluten; lactose"
            Durand;;;;;;;Emma;Durand;2020-09-01;MS;
            "Nguyen";M.;Bao;Nguyen;bao@exemple.fr;;non;Linh;Nguyen;2016-01-20;CM1;

            """
        let report = try await FamilyImport(runtime: try await TestEnvironment.runtime()).run(
            tenant: tenant, csv: csv, by: .operator("test"), today: LocalDate(iso: "2026-11-26")!)
        #expect(report.families == 2 && report.guardians == 2 && report.children == 3 && report.invitations == 1)
        let all = try await families(tenant)
        #expect(all.map(\.name) == ["Durand", "Nguyen"])
        #expect(all[0].members.contains("Lucas") && all[0].members.contains("Emma"))
        let mail = try #require(try await AccountFixtures.latestMail(tenant, to: "anne.durand@exemple.fr"))
        #expect(mail.body.contains("/invitation?jeton="))
        #expect(try await AccountFixtures.latestMail(tenant, to: "bao@exemple.fr") == nil)
        let children = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try FamilyFileStore().children(tx, familyID: all[0].id)
        }
        #expect(children.first { $0.draft.firstName == "Lucas" }?.draft.allergies == "gluten; lactose")
    }

    @Test(
        "a bad row is reported with its line number and nothing of the file is imported",
        arguments: [
            ("Durand;;Anne;Durand;anne@exemple.fr;;;Lucas;Durand;2099-01-01;CP;", "line 3: child birthDate"),
            ("Durand;;Anne;Durand;pas-une-adresse;;;;;;;", "line 3: guardian email"),
            (";;Anne;Durand;;;;;;;;", "line 3: family"),
            ("Durand;;;;;;;Lucas;Durand;2018-01-01;CE7;", "line 3: child level"),
            ("Durand;;Anne;Durand;;;oui;;;;;", "line 3: invite"),
        ])
    func bad(row: String, message: String) async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let csv = "\(Self.header)\nMartin;;Paul;Martin;paul@exemple.fr;;;;;;;\n\(row)\n"
        await #expect {
            try await FamilyImport(runtime: try await TestEnvironment.runtime()).run(
                tenant: tenant, csv: csv, by: .operator("test"), today: LocalDate(iso: "2026-11-26")!)
        } throws: { error in
            (error as? FamilyImport.Failure)?.lines.contains { $0.hasPrefix(message) } == true
        }
        #expect(try await families(tenant).isEmpty)
    }

    @Test("an address already used by an account rolls the whole file back; the CLI prints the lines and exits non-zero")
    func existingAccount() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let existing = try await AccountFixtures.account(in: tenant)
        let before = try await families(tenant).count
        let file = NSTemporaryDirectory() + "/import-\(UUID().uuidString).csv"
        try "\(Self.header)\nMartin;;Paul;Martin;paul@exemple.fr;;oui;;;;;\nDupont;;Eve;Dupont;\(existing.email);;oui;;;;;\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let env = [
            "MARELLE_DATABASE_URL": TestEnvironment.conninfo, "MARELLE_PATHS_SQL": TestEnvironment.repoRoot + "/sql",
            "MARELLE_LOG_LEVEL": "error",
        ]
        let result = try await Shell.run(
            CommandLineTests.binary, ["family", "import", "--tenant", tenant.slug, file], environment: env)
        #expect(result.status != 0)
        #expect(result.errors.contains("nothing imported") && result.errors.contains("line 3"))
        #expect(try await families(tenant).count == before)
        let created = try await Shell.run(
            CommandLineTests.binary,
            ["family", "create", "--tenant", tenant.slug, "--name", "Roux", "--parent-email", "roux@exemple.fr"],
            environment: env)
        #expect(created.status == 0 && created.output.contains("created family"))
        #expect(try await AccountFixtures.latestMail(tenant, to: "roux@exemple.fr") != nil)
        let duplicate = try await Shell.run(
            CommandLineTests.binary,
            ["family", "create", "--tenant", tenant.slug, "--name", "Roux", "--parent-email", "roux@exemple.fr"],
            environment: env)
        #expect(duplicate.status != 0 && duplicate.errors.contains("Un compte existe déjà"))
    }
}
