import Foundation
import MarelleTestSupport
import Testing

@Suite("Demo data")
struct DemoTests {
    @Test("the demo fills an association once; a second run changes nothing; its accounts can sign in")
    func idempotent() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant(name: "Les Petits Malins")
        let now = Date(timeIntervalSince1970: 1_795_700_000)  // 26 November 2026
        let first = try await DemoSeeder(runtime: runtime).seed(tenant: tenant, now: now)
        #expect(first.created.contains("period Année scolaire 2026-2027"))
        #expect(first.created.contains("period Vacances d'hiver 2027"))
        #expect(first.created.filter { $0.hasPrefix("activity ") }.count == 7)
        let second = try await DemoSeeder(runtime: runtime).seed(tenant: tenant, now: now)
        #expect(second.created.isEmpty)
        let counts = try await runtime.database.withTenant(try tenant.scope()) { tx in
            try tx.queryOne(
                "SELECT (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM activities) AS activities, (SELECT count(*) FROM periods) AS periods"
            )
        }
        #expect(try counts.decode("accounts", as: Int.self) == 2)
        #expect(try counts.decode("activities", as: Int.self) == 7)
        #expect(try counts.decode("periods", as: Int.self) == 2)
        let children = try await runtime.database.withTenant(try tenant.scope()) { tx in
            try tx.queryOne(
                "SELECT count(*) AS n, count(DISTINCT family_id) AS families, count(DISTINCT level) AS levels FROM children")
        }
        #expect(try children.decode("n", as: Int.self) == 6)
        #expect(try children.decode("families", as: Int.self) == 3)
        #expect(try children.decode("levels", as: Int.self) == 6)
        // The school year is open for booking at that date: a PS child sees free mornings.
        let months = try await runtime.database.withTenant(try tenant.scope()) { tx in
            try CalendarStore().month(
                tx, year: 2026, month: 12, child: .init(level: .ps, birthDate: LocalDate(iso: "2023-02-01")!), quotient: 450,
                now: now)
        }
        let morning = try #require(months.first { $0.activity.draft.name == "PS MATIN TOUS (7h30-8h30)" })
        #expect(morning.days.first { $0.date.iso == "2026-12-07" }?.availability == .free(Money(cents: 185)))
        let evening = try #require(months.first { $0.activity.draft.name == "MATERNELLE SOIR (16h30-18h30)" })
        #expect(evening.days.first { $0.date.iso == "2026-12-07" }?.availability == .free(Money(cents: 120)))
        try await WebTestServer.with { client in
            for (email, password) in [
                (DemoSeeder.directionEmail, DemoSeeder.directionPassword), (DemoSeeder.parentEmail, DemoSeeder.parentPassword),
            ] {
                let login = try await AccountFixtures.login(
                    client, host: "\(tenant.slug).localhost", email: email, password: password)
                #expect(login.status == .seeOther)
            }
        }
    }

    @Test("the demo passwords pass the password policy")
    func passwords() throws {
        let policy = try PasswordPolicy()
        #expect(
            policy.check(DemoSeeder.directionPassword, email: EmailAddress(DemoSeeder.directionEmail), slug: "les-petits-malins")
                == nil)
        #expect(
            policy.check(DemoSeeder.parentPassword, email: EmailAddress(DemoSeeder.parentEmail), slug: "les-petits-malins") == nil
        )
    }
}
