import Foundation
import MarelleCore
import Testing

func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
func time(_ text: String) -> LocalTime { LocalTime(text)! }
/// An instant written in UTC: `utc("2026-11-26 09:00")`.
func utc(_ text: String) -> Date {
    let parts = text.split(separator: " ")
    let t = LocalTime(parts[1])!
    return Date(timeIntervalSince1970: Double(day(String(parts[0])).daysSinceEpoch * 86_400 + t.minutesSinceMidnight * 60))
}

@Suite("Public holidays and working days")
struct HolidayTests {
    @Test(
        "Easter Sunday",
        arguments: [
            (2000, "2000-04-23"), (2019, "2019-04-21"), (2024, "2024-03-31"), (2025, "2025-04-20"),
            (2026, "2026-04-05"), (2027, "2027-03-28"), (2038, "2038-04-25"),
        ])
    func easter(year: Int, expected: String) {
        #expect(FrenchPublicHolidays.easterSunday(year) == day(expected))
    }

    @Test("the eleven holidays of 2026, and their names")
    func year2026() {
        let holidays = FrenchPublicHolidays.holidays(in: 2026)
        #expect(holidays.count == 11)
        #expect(holidays[day("2026-04-06")] == "Lundi de Pâques")
        #expect(holidays[day("2026-05-14")] == "Ascension")
        #expect(holidays[day("2026-05-25")] == "Lundi de Pentecôte")
        #expect(holidays[day("2026-07-14")] == "Fête nationale")
        #expect(holidays[day("2026-11-11")] == "Armistice 1918")
        #expect(holidays[day("2026-12-24")] == nil)
    }

    @Test(
        "working days are Monday to Friday, public holidays excepted",
        arguments: [
            ("2026-11-27", true), ("2026-11-28", false), ("2026-11-29", false), ("2026-11-11", false), ("2026-05-01", false),
            ("2026-05-14", false), ("2026-05-15", true),
        ])
    func workingDays(date: String, working: Bool) {
        #expect(day(date).isWorkingDay == working)
    }
}

@Suite("Deadlines")
struct DeadlineRuleTests {
    let veille10h = try! DeadlineRule(daysBefore: 1, time: time("10:00"))
    let veilleOuvree10h = try! DeadlineRule(daysBefore: 1, time: time("10:00"), workingDaysOnly: true)

    @Test(
        "la veille à 10h00, in winter: open until 09:00 UTC the day before, closed from then on",
        arguments: [
            ("2026-11-26 08:59", true), ("2026-11-26 09:00", false), ("2026-11-26 09:01", false), ("2026-11-25 23:59", true),
            ("2026-11-27 06:00", false),
        ])
    func winter(now: String, open: Bool) {
        #expect(veille10h.isOpen(for: day("2026-11-27"), at: utc(now)) == open)
        #expect(veille10h.cutoff(for: day("2026-11-27")) == utc("2026-11-26 09:00"))
    }

    @Test("the same rule in summer closes an hour earlier in UTC")
    func summer() {
        #expect(veille10h.cutoff(for: day("2026-07-02")) == utc("2026-07-01 08:00"))
    }

    @Test("around midnight: the same day at 00:00 closes as the day begins in Paris")
    func midnight() throws {
        let rule = try DeadlineRule(daysBefore: 0, time: time("00:00"))
        #expect(rule.cutoff(for: day("2026-11-27")) == utc("2026-11-26 23:00"))
        #expect(rule.isOpen(for: day("2026-11-27"), at: utc("2026-11-26 22:59")))
        #expect(!rule.isOpen(for: day("2026-11-27"), at: utc("2026-11-26 23:00")))
        let lateEvening = try DeadlineRule(daysBefore: 1, time: time("23:59"))
        #expect(lateEvening.cutoff(for: day("2027-01-01")) == utc("2026-12-31 22:59"))
    }

    @Test(
        "counting working days skips weekends and public holidays",
        arguments: [
            ("2026-11-30", "2026-11-27"),  // Monday: the Friday before
            ("2026-11-12", "2026-11-10"),  // Thursday after Armistice (Wednesday): the Tuesday
            ("2026-04-07", "2026-04-03"),  // Tuesday after Easter Monday: the Friday before
            ("2026-12-01", "2026-11-30"),  // an ordinary Tuesday
            ("2026-11-29", "2026-11-27"),  // a Sunday activity: the Friday
        ])
    func workingDays(date: String, cutoffDay: String) {
        #expect(veilleOuvree10h.cutoffDay(for: day(date)) == day(cutoffDay))
    }

    @Test(
        "several working days back",
        arguments: [
            (3, "2026-11-30", "2026-11-25"), (5, "2026-11-30", "2026-11-23"), (2, "2026-11-13", "2026-11-10"),
        ])
    func severalWorkingDays(days: Int, date: String, cutoffDay: String) throws {
        let rule = try DeadlineRule(daysBefore: days, time: time("18:00"), workingDaysOnly: true)
        #expect(rule.cutoffDay(for: day(date)) == day(cutoffDay))
    }

    @Test("calendar days do count weekends", arguments: [(1, "2026-11-30", "2026-11-29"), (7, "2026-11-30", "2026-11-23")])
    func calendarDays(days: Int, date: String, cutoffDay: String) throws {
        #expect(try DeadlineRule(daysBefore: days, time: time("10:00")).cutoffDay(for: day(date)) == day(cutoffDay))
    }

    @Test("spring forward: 02:30 does not exist on 29 March 2026 and means 03:30 CEST")
    func springGap() throws {
        let rule = try DeadlineRule(daysBefore: 1, time: time("02:30"))
        #expect(rule.cutoff(for: day("2026-03-30")) == utc("2026-03-29 01:30"))
        #expect(veille10h.cutoff(for: day("2026-03-30")) == utc("2026-03-29 08:00"))
        #expect(veille10h.cutoff(for: day("2026-03-29")) == utc("2026-03-28 09:00"))
    }

    @Test("fall back: 02:30 happens twice on 25 October 2026 and means the first time (CEST)")
    func autumnOverlap() throws {
        let rule = try DeadlineRule(daysBefore: 1, time: time("02:30"))
        #expect(rule.cutoff(for: day("2026-10-26")) == utc("2026-10-25 00:30"))
        #expect(veille10h.cutoff(for: day("2026-10-26")) == utc("2026-10-25 09:00"))
        #expect(veille10h.cutoff(for: day("2026-10-25")) == utc("2026-10-24 08:00"))
    }

    @Test(
        "the Paris day and time of an instant, across midnight and the changes of time",
        arguments: [
            ("2026-11-26 23:30", "2026-11-27", "00:30"), ("2026-07-01 22:30", "2026-07-02", "00:30"),
            ("2026-03-29 00:59", "2026-03-29", "01:59"), ("2026-03-29 01:00", "2026-03-29", "03:00"),
            ("2026-10-25 00:30", "2026-10-25", "02:30"), ("2026-10-25 01:30", "2026-10-25", "02:30"),
        ])
    func parisClock(instant: String, date: String, wall: String) {
        #expect(ParisClock.date(of: utc(instant)) == day(date))
        #expect(ParisClock.time(of: utc(instant)) == time(wall))
    }

    @Test("rules describe themselves in French, and refuse absurd delays")
    func french() throws {
        #expect(veille10h.label == "la veille à 10h00")
        #expect(veilleOuvree10h.label == "la veille ouvrée à 10h00")
        #expect(try DeadlineRule(daysBefore: 0, time: time("07:30")).label == "le jour même à 7h30")
        #expect(
            try DeadlineRule(daysBefore: 3, time: time("18:00"), workingDaysOnly: true).label == "3 jours ouvrés avant à 18h00")
        #expect(throws: DeadlineRuleError.daysOutOfRange) { try DeadlineRule(daysBefore: -1, time: time("10:00")) }
        #expect(throws: DeadlineRuleError.daysOutOfRange) { try DeadlineRule(daysBefore: 400, time: time("10:00")) }
    }
}
