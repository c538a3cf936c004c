import Foundation
import MarelleCore
import Testing

@Suite("Who may attend, when an activity runs, and a day's availability")
struct AvailabilityTests {
    /// "PS MATIN TOUS (7h30-8h30)": school days of the 2026-2027 year, PS only, 10 places,
    /// booking the day before at 10:00, 1.85 €; closed for the Christmas holidays.
    let rules: ActivityRules = {
        let year = try! DateRange(first: day("2026-09-01"), last: day("2027-07-03"))
        let christmas = try! DateRange(first: day("2026-12-19"), last: day("2027-01-03"))
        return ActivityRules(
            schedule: ActivitySchedule(
                weekdays: [1, 2, 4, 5], periods: [year], closures: [christmas],
                addedDates: [day("2026-12-02")], removedDates: [day("2026-12-03")]),
            eligibility: try! Eligibility(levels: [.ps]),
            capacity: 10,
            bookingDeadline: try! DeadlineRule(daysBefore: 1, time: time("10:00")),
            price: .flat(Money(cents: 185)),
            windows: [.init(period: year, opensAt: utc("2026-08-20 08:00"), closesAt: utc("2027-06-30 22:00"))])
    }()
    let born = day("2023-05-10")
    let now = utc("2026-11-26 12:00")

    func state(_ date: String, level: SchoolLevel? = .ps, held: Int = 0, at instant: Date? = nil) -> DayAvailability {
        rules.availability(on: day(date), level: level, birthDate: born, quotient: nil, held: held, now: instant ?? now)
    }

    @Test(
        "each reason, in its order of precedence",
        arguments: [
            ("2026-12-07", SchoolLevel.ps, 0, "free"),
            ("2026-12-09", .ps, 0, "closed"),  // a Wednesday
            ("2026-12-05", .ps, 0, "closed"),  // a Saturday
            ("2026-12-22", .ps, 0, "closed"),  // Christmas closure
            ("2026-11-11", .ps, 0, "closed"),  // Armistice
            ("2026-12-02", .ps, 0, "free"),  // a Wednesday added by hand
            ("2026-12-03", .ps, 0, "closed"),  // a Thursday removed by hand
            ("2026-12-07", .ms, 0, "not-allowed"),
            ("2026-12-07", nil, 0, "not-allowed"),
            ("2026-11-27", .ps, 0, "past-deadline"),  // the day before at 10:00 is passed (now is 26/11 13:00)
            ("2026-11-30", .ps, 0, "free"),
            ("2026-12-07", .ps, 9, "free"),
            ("2026-12-07", .ps, 10, "full"),
            ("2026-12-07", .ms, 10, "not-allowed"),
            ("2027-08-02", .ps, 0, "closed"),  // outside the school year
        ])
    func reasons(date: String, level: SchoolLevel?, held: Int, code: String) {
        #expect(state(date, level: level, held: held).code == code)
    }

    @Test("a free day carries the family's price")
    func price() {
        #expect(state("2026-12-07") == .free(Money(cents: 185)))
        #expect(state("2026-12-07").label == "Libre · 1,85 €")
    }

    @Test("before the window opens and after it closes, days are outside the window")
    func window() {
        #expect(state("2026-09-03", at: utc("2026-08-20 07:59")).code == "outside-window")
        #expect(state("2026-09-03", at: utc("2026-08-20 08:00")).code == "free")
        #expect(state("2027-07-01", at: utc("2027-06-30 22:00")).code == "outside-window")
    }

    @Test(
        "ages count completed years on the day itself",
        arguments: [
            ("2020-03-15", "2026-03-14", 5), ("2020-03-15", "2026-03-15", 6), ("2020-02-29", "2026-02-28", 5),
            ("2020-02-29", "2026-03-01", 6), ("2026-01-01", "2025-12-31", 0),
        ])
    func ages(birth: String, on date: String, age: Int) {
        #expect(Eligibility.age(birthDate: day(birth), on: day(date)) == age)
    }

    @Test("levels and ages: with both, a child must fit both")
    func eligibility() throws {
        let both = try Eligibility(levels: [.cp, .ce1], minimumAge: 6, maximumAge: 7)
        #expect(both.allows(level: .cp, birthDate: day("2020-01-10"), on: day("2026-12-07")))
        #expect(!both.allows(level: .cp, birthDate: day("2018-01-10"), on: day("2026-12-07")))
        #expect(!both.allows(level: .cm1, birthDate: day("2020-01-10"), on: day("2026-12-07")))
        #expect(Eligibility.everyone.allows(level: nil, birthDate: day("2015-01-01"), on: day("2026-12-07")))
        #expect(throws: EligibilityError.minimumAboveMaximum) { try Eligibility(minimumAge: 8, maximumAge: 6) }
        #expect(throws: EligibilityError.negativeAge) { try Eligibility(minimumAge: -1) }
    }

    @Test("a month's running days, and date ranges that refuse to end before they start")
    func monthAndRanges() throws {
        #expect(rules.schedule.dates(year: 2026, month: 12).map(\.day) == [1, 2, 4, 7, 8, 10, 11, 14, 15, 17, 18])
        #expect(throws: DateRangeError.endBeforeStart) { try DateRange(first: day("2026-12-02"), last: day("2026-12-01")) }
        let a = try DateRange(first: day("2026-12-01"), last: day("2026-12-10"))
        #expect(a.overlaps(try DateRange(first: day("2026-12-10"), last: day("2026-12-20"))))
        #expect(!a.overlaps(try DateRange(first: day("2026-12-11"), last: day("2026-12-20"))))
        #expect(a.days.count == 10)
    }

    @Test("school levels keep the order of the school years")
    func levels() {
        #expect(SchoolLevel.allCases.sorted() == SchoolLevel.allCases)
        #expect(SchoolLevel.ps < SchoolLevel.college)
        #expect(SchoolLevel(rawValue: "CE1") == .ce1)
    }
}
