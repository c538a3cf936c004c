import Foundation
import MarelleTestSupport
import Testing

@Suite("Activities and the month calendar of a child, against the database")
struct CalendarStoreTests {
    static func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    static func time(_ t: String) -> LocalTime { LocalTime(t)! }
    static func utc(_ iso: String, _ t: String) -> Date {
        Date(timeIntervalSince1970: Double(day(iso).daysSinceEpoch * 86_400 + time(t).minutesSinceMidnight * 60))
    }

    static func draft(
        name: String = "PS MATIN TOUS (7h30-8h30)", capacity: Int = 2, levels: Set<SchoolLevel> = [.ps],
        starts: String = "07:30", ends: String = "08:30"
    ) -> ActivityDraft {
        ActivityDraft(
            name: name, startsAt: time(starts), endsAt: time(ends), eligibility: try! Eligibility(levels: levels),
            capacity: capacity, weekdays: [1, 2, 4, 5], validationMode: .manual,
            bookingDeadline: try! DeadlineRule(daysBefore: 1, time: time("10:00")),
            cancellationDeadline: try! DeadlineRule(daysBefore: 2, time: time("18:00")))
    }

    /// A school year open for booking, one PS activity at 1.85 €, a closed week, a full date.
    static func seed(_ tenant: Tenant) async throws -> Int {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            let year = try PeriodStore().create(
                tx, name: "Année scolaire 2026-2027", kind: .schoolYear,
                days: try DateRange(first: day("2026-09-01"), last: day("2027-07-03")),
                opensAt: utc("2026-08-20", "08:00"), closesAt: utc("2027-06-30", "22:00"))
            let id = try ActivityStore().create(tx, draft(), periodIDs: [year.id], price: .flat(Money(cents: 185)))
            try ActivityStore().addClosure(
                tx, activityID: nil, days: try DateRange(first: day("2027-05-24"), last: day("2027-05-28")), reason: "Fermeture")
            try ActivityStore().setDate(tx, activityID: id, day: day("2027-05-12"), runs: true)
            try tx.execute("INSERT INTO activity_days (activity_id, day, held) VALUES (\(id), \(day("2027-05-20")), 2)")
            return id
        }
    }

    @Test("May 2027 for a PS child: public holidays, a closure, a full date, an added Wednesday, and prices")
    func month() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        _ = try await Self.seed(tenant)
        let months = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try CalendarStore().month(
                tx, year: 2027, month: 5, child: .init(level: .ps, birthDate: Self.day("2023-03-01")), quotient: nil,
                now: Self.utc("2027-04-15", "12:00"))
        }
        let days = Dictionary(uniqueKeysWithValues: try #require(months.first).days.map { ($0.date.iso, $0.availability) })
        #expect(days.count == 31)
        #expect(days["2027-05-03"] == .free(Money(cents: 185)))
        #expect(days["2027-05-05"] == .closed)  // a Wednesday
        #expect(days["2027-05-12"] == .free(Money(cents: 185)))  // a Wednesday added by hand
        #expect(days["2027-05-06"] == .closed)  // Ascension
        #expect(days["2027-05-17"] == .closed)  // Whit Monday
        #expect(days["2027-05-25"] == .closed)  // the closed week
        #expect(days["2027-05-20"] == .full)
    }

    @Test("a child of another level sees every running day as not allowed")
    func otherLevel() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        _ = try await Self.seed(tenant)
        let months = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try CalendarStore().month(
                tx, year: 2027, month: 5, child: .init(level: .cm1, birthDate: Self.day("2017-03-01")), quotient: nil,
                now: Self.utc("2027-04-15", "12:00"))
        }
        let codes = Set(try #require(months.first).days.map(\.availability.code))
        #expect(codes == ["closed", "not-allowed"])
    }

    @Test("a price change applies from now on; the calendar shows the price in force, by QF bracket")
    func priceChange() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let id = try await Self.seed(tenant)
        let database = try await TestEnvironment.runtime().database
        try await database.withTenant(try tenant.scope()) { tx in
            try ActivityStore().setPrice(
                tx, activityID: id,
                try PriceRule.brackets([.init(upTo: 700, price: Money(cents: 120)), .init(upTo: nil, price: Money(cents: 210))]))
        }
        for (qf, cents) in [(500, 120), (701, 210)] {
            let months = try await database.withTenant(try tenant.scope()) { tx in
                try CalendarStore().month(
                    tx, year: 2027, month: 5, child: .init(level: .ps, birthDate: Self.day("2023-03-01")), quotient: qf,
                    now: Self.utc("2027-04-15", "12:00"))
            }
            #expect(months.first?.days.first { $0.date.iso == "2027-05-03" }?.availability == .free(Money(cents: cents)))
        }
    }

    @Test("staff mistakes are refused with every reason and nothing is saved")
    func invalidDrafts() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let database = try await TestEnvironment.runtime().database
        let bad = Self.draft(name: "  ", capacity: 0, starts: "09:00", ends: "08:00")
        let failure = await #expect(throws: ActivityStore.Failure.self) {
            try await database.withTenant(try tenant.scope()) { tx in
                try ActivityStore().create(tx, bad, periodIDs: [1], price: .flat(.zero))
            }
        }
        guard case .invalid(let problems) = failure else { Issue.record("expected invalid"); return }
        #expect(Set(problems.map(\.field)) == ["name", "capacity", "endsAt"])
        await #expect(throws: ActivityStore.Failure.unknownPeriod) {
            try await database.withTenant(try tenant.scope()) { tx in
                try ActivityStore().create(tx, Self.draft(), periodIDs: [987_654], price: .flat(.zero))
            }
        }
        let count = try await database.withTenant(try tenant.scope()) { tx in
            try tx.queryOne("SELECT count(*) AS n FROM activities").decode("n", as: Int.self)
        }
        #expect(count == 0)
    }

    @Test("one tenant's activities do not exist for another tenant")
    func isolation() async throws {
        let a = try await TestEnvironment.makeTenant()
        let b = try await TestEnvironment.makeTenant()
        let id = try await Self.seed(a)
        let database = try await TestEnvironment.runtime().database
        #expect(
            try await database.withTenant(try a.scope()) { tx in try ActivityStore().find(tx, id: id) }?.draft.name
                == "PS MATIN TOUS (7h30-8h30)")
        #expect(try await database.withTenant(try b.scope()) { tx in try ActivityStore().find(tx, id: id) } == nil)
        #expect(try await database.withTenant(try b.scope()) { tx in try ActivityStore().close(tx, activityID: id) } == false)
    }
}
