import Foundation
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// `marelle demo`: a realistic association to click through. Everything is looked up
/// before it is created, so running it twice changes nothing.
public struct DemoSeeder: Sendable {
    public let runtime: Runtime

    public init(runtime: Runtime) {
        self.runtime = runtime
    }

    public static let directionEmail = "direction@lespetitsmalins.fr"
    public static let directionPassword = "un soleil sur la marelle"
    public static let parentEmail = "famille.martin@exemple.fr"
    public static let parentPassword = "vive les vacances de printemps"

    public struct Report: Sendable {
        public var created: [String] = []
    }

    public func seed(tenant: Tenant, now: Date = Date()) async throws -> Report {
        var report = Report()
        let direction = try await account(
            tenant, Self.directionEmail, .direction, family: nil, password: Self.directionPassword, &report)
        let martin = try await account(
            tenant, Self.parentEmail, .parent, family: "Martin", password: Self.parentPassword, &report)
        try await families(tenant, martinFamily: martin.familyID!, martinAccount: martin.id, now: now, &report)
        let created = try await runtime.database.withTenant(try tenant.scope()) { tx -> [String] in
            var created: [String] = []
            try tx.execute(
                """
                UPDATE association_settings SET contact_email = coalesce(contact_email, 'contact@lespetitsmalins.fr'),
                    phone = coalesce(phone, '01 23 45 67 89'),
                    postal_address = coalesce(postal_address, '12 rue des Écoles, 75011 Paris'),
                    opening_hours = coalesce(opening_hours, 'Lundi, mardi, jeudi, vendredi : 7h30-8h30 et 16h30-18h30 ; mercredi et vacances : 8h00-18h00')
                """)
            let periods = try demoPeriods(tx, now: now, &created)
            for spec in Self.activities(periods: periods) {
                let exists = try tx.queryFirst("SELECT id FROM activities WHERE name = \(spec.draft.name) AND closed_at IS NULL")
                guard exists == nil else { continue }
                _ = try ActivityStore().create(tx, spec.draft, periodIDs: spec.periods, price: spec.price)
                created.append("activity \(spec.draft.name)")
            }
            if !created.isEmpty {
                try AuditLog().record(
                    tx, actor: .account(direction), action: "demo.seed", detail: ["created": String(created.count)])
            }
            return created
        }
        report.created += created
        return report
    }

    private func account(
        _ tenant: Tenant, _ email: String, _ role: Role, family: String?, password: String, _ report: inout Report
    ) async throws -> Account {
        let address = EmailAddress(email)!
        if let existing = try await runtime.database.withTenant(
            try tenant.scope(), { tx in try AccountStore().find(tx, email: address) })
        {
            return existing
        }
        let (account, _) = try await runtime.invitations.invite(
            tenant: tenant, email: email, role: role, familyName: family, by: .system)
        let hash = try await runtime.hasher.hash(password)
        try await runtime.database.withTenant(try tenant.scope()) { tx in
            try AccountStore().setPassword(tx, id: account.id, hash: hash)
            // The demo accounts are usable at once: their invitations are spent.
            try tx.execute("UPDATE account_links SET used_at = now() WHERE account_id = \(account.id) AND used_at IS NULL")
        }
        report.created.append("account \(email) (\(role.rawValue))")
        return account
    }

    /// Three families with children of different levels; the Martins (the demo parent) have a
    /// quotient familial, the others pay the top bracket.
    private func families(_ tenant: Tenant, martinFamily: Int, martinAccount: Int, now: Date, _ report: inout Report) async throws
    {
        let today = ParisClock.date(of: now)
        @Sendable func born(_ yearsAgo: Int, _ month: Int, _ day: Int) -> LocalDate {
            LocalDate(year: today.year - yearsAgo, month: month, day: day)!
        }
        @Sendable func guardian(_ first: String, _ last: String, _ phone: String, qf: Int?) -> GuardianDraft {
            var g = GuardianDraft()
            g.civility = first == "Karim" ? "M." : "Mme"
            (g.firstName, g.lastName, g.mobilePhone) = (first, last, phone)
            (g.street, g.postalCode, g.city) = ("12 rue des Écoles", "69003", "Lyon")
            g.quotient = qf
            if qf != nil {
                (g.quotientValidFrom, g.quotientValidUntil) = (
                    LocalDate(year: today.year, month: 1, day: 1), LocalDate(year: today.year + 1, month: 12, day: 31)
                )
            }
            return g
        }
        @Sendable func child(
            _ first: String, _ last: String, _ born: LocalDate, _ level: SchoolLevel, _ sex: String, allergies: String = ""
        ) -> ChildDraft {
            var c = ChildDraft()
            (c.firstName, c.lastName, c.birthDate, c.level, c.sex, c.allergies) = (first, last, born, level, sex, allergies)
            c.school = level == .college ? "Collège Jean Moulin" : "École Jean Macé"
            c.vaccinationsUpToDate = true
            c.pickups = [.init(name: "Mamie \(last)", phone: "04 78 00 00 01", relationship: "grand-mère")]
            return c
        }
        let created = try await runtime.database.withTenant(try tenant.scope()) { tx -> [String] in
            let file = FamilyFileStore()
            guard try file.children(tx, familyID: martinFamily).isEmpty else { return [] }
            var claire = guardian("Claire", "Martin", "06 12 34 56 78", qf: 820)
            claire.email = Self.parentEmail
            if let invited = try file.guardians(tx, familyID: martinFamily).first {
                _ = try file.updateGuardian(tx, id: invited.id, familyID: martinFamily, claire, quotient: true)
            } else {
                try file.addGuardian(tx, familyID: martinFamily, accountID: martinAccount, claire)
            }
            try file.addChild(tx, familyID: martinFamily, child("Léa", "Martin", born(3, 3, 14), .ps, "F", allergies: "Arachide"))
            try file.addChild(tx, familyID: martinFamily, child("Hugo", "Martin", born(7, 6, 2), .ce1, "M"))
            let bernard = try FamilyStore().create(tx, name: "Bernard")
            try file.addGuardian(tx, familyID: bernard, accountID: nil, guardian("Karim", "Bernard", "06 22 33 44 55", qf: nil))
            try file.addChild(tx, familyID: bernard, child("Inès", "Bernard", born(4, 9, 21), .ms, "F"))
            let petit = try FamilyStore().create(tx, name: "Petit")
            try file.addGuardian(tx, familyID: petit, accountID: nil, guardian("Sophie", "Petit", "07 11 22 33 44", qf: 450))
            try file.addChild(tx, familyID: petit, child("Nathan", "Petit", born(5, 1, 30), .gs, "M"))
            try file.addChild(tx, familyID: petit, child("Chloé", "Petit", born(9, 11, 8), .cm1, "F"))
            try file.addChild(tx, familyID: petit, child("Tom", "Petit", born(12, 4, 17), .college, "M"))
            return ["families Martin (2 children), Bernard (1), Petit (3)"]
        }
        report.created += created
    }

    /// The school year around today, open for booking now, and the next winter holidays.
    private func demoPeriods(_ tx: Session, now: Date, _ created: inout [String]) throws -> (year: Int, winter: Int) {
        let today = ParisClock.date(of: now)
        let startYear = today.month >= 8 ? today.year : today.year - 1
        let yearName = "Année scolaire \(startYear)-\(startYear + 1)"
        let winterName = "Vacances d'hiver \(startYear + 1)"
        let existing = try PeriodStore().list(tx)
        func find(_ name: String) -> Int? { existing.first { $0.name == name }?.id }
        let year: Int
        if let id = find(yearName) {
            year = id
        } else {
            year = try PeriodStore().create(
                tx, name: yearName, kind: .schoolYear,
                days: try DateRange(
                    first: LocalDate(year: startYear, month: 9, day: 1)!, last: LocalDate(year: startYear + 1, month: 7, day: 3)!),
                opensAt: ParisClock.instant(LocalDate(year: startYear, month: 6, day: 1)!, LocalTime(hour: 8, minute: 0)!),
                closesAt: ParisClock.instant(LocalDate(year: startYear + 1, month: 7, day: 1)!, LocalTime(hour: 18, minute: 0)!)
            ).id
            created.append("period \(yearName)")
        }
        let winter: Int
        if let id = find(winterName) {
            winter = id
        } else {
            winter = try PeriodStore().create(
                tx, name: winterName, kind: .holidays,
                days: try DateRange(
                    first: LocalDate(year: startYear + 1, month: 2, day: 13)!,
                    last: LocalDate(year: startYear + 1, month: 3, day: 1)!),
                opensAt: ParisClock.instant(LocalDate(year: startYear, month: 11, day: 1)!, LocalTime(hour: 8, minute: 0)!),
                closesAt: ParisClock.instant(LocalDate(year: startYear + 1, month: 2, day: 6)!, LocalTime(hour: 18, minute: 0)!)
            ).id
            created.append("period \(winterName)")
        }
        return (year, winter)
    }

    public struct Spec {
        public let draft: ActivityDraft
        public let periods: [Int]
        public let price: PriceRule

        public init(draft: ActivityDraft, periods: [Int], price: PriceRule) {
            self.draft = draft
            self.periods = periods
            self.price = price
        }
    }

    public static func activities(periods: (year: Int, winter: Int)) -> [Spec] {
        func t(_ s: String) -> LocalTime { LocalTime(s)! }
        let veille = try! DeadlineRule(daysBefore: 1, time: t("10:00"))
        let cancelVeille = try! DeadlineRule(daysBefore: 1, time: t("10:00"), workingDaysOnly: true)
        let weekBefore = try! DeadlineRule(daysBefore: 7, time: t("12:00"))
        let qf = try! PriceRule.brackets([
            .init(upTo: 600, price: Money(cents: 120)), .init(upTo: 1000, price: Money(cents: 160)),
            .init(upTo: nil, price: Money(cents: 210)),
        ])
        let dayQF = try! PriceRule.brackets([
            .init(upTo: 600, price: Money(cents: 650)), .init(upTo: 1000, price: Money(cents: 1100)),
            .init(upTo: nil, price: Money(cents: 1650)),
        ])
        func draft(
            _ name: String, _ from: String, _ to: String, _ levels: Set<SchoolLevel>, _ capacity: Int, _ days: Set<Int>,
            _ mode: ActivityDraft.ValidationMode, _ booking: DeadlineRule, _ cancel: DeadlineRule
        ) -> ActivityDraft {
            ActivityDraft(
                name: name, startsAt: t(from), endsAt: t(to), eligibility: try! Eligibility(levels: levels), capacity: capacity,
                weekdays: days, validationMode: mode, bookingDeadline: booking, cancellationDeadline: cancel)
        }
        return [
            Spec(
                draft: draft(
                    "PS MATIN TOUS (7h30-8h30)", "07:30", "08:30", [.ps], 12, [1, 2, 4, 5], .manual, veille, cancelVeille),
                periods: [periods.year], price: .flat(Money(cents: 185))),
            Spec(
                draft: draft(
                    "MS-GS MATIN (7h30-8h30)", "07:30", "08:30", [.ms, .gs], 16, [1, 2, 4, 5], .manual, veille, cancelVeille),
                periods: [periods.year], price: .flat(Money(cents: 185))),
            Spec(
                draft: draft(
                    "ÉLÉMENTAIRE MATIN (7h30-8h30)", "07:30", "08:30", [.cp, .ce1, .ce2, .cm1, .cm2], 24, [1, 2, 4, 5],
                    .automatic, veille, cancelVeille),
                periods: [periods.year], price: .flat(Money(cents: 185))),
            Spec(
                draft: draft(
                    "MATERNELLE SOIR (16h30-18h30)", "16:30", "18:30", [.ps, .ms, .gs], 20, [1, 2, 4, 5], .manual, veille,
                    cancelVeille),
                periods: [periods.year], price: qf),
            Spec(
                draft: draft(
                    "ÉLÉMENTAIRE SOIR (16h30-18h30)", "16:30", "18:30", [.cp, .ce1, .ce2, .cm1, .cm2], 28, [1, 2, 4, 5],
                    .automatic, veille, cancelVeille),
                periods: [periods.year], price: qf),
            Spec(
                draft: draft("MERCREDI JOURNÉE (8h00-18h00)", "08:00", "18:00", [], 40, [3], .manual, weekBefore, weekBefore),
                periods: [periods.year], price: dayQF),
            Spec(
                draft: draft(
                    "VACANCES D'HIVER JOURNÉE (8h00-18h00)", "08:00", "18:00", [], 36, [1, 2, 3, 4, 5], .manual, weekBefore,
                    weekBefore),
                periods: [periods.winter], price: dayQF),
        ]
    }
}
