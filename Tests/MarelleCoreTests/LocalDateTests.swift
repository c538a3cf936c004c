import MarelleCore
import Testing

@Suite("LocalDate")
struct LocalDateTests {
    @Test(
        "ISO text parses into the same day and prints back unchanged",
        arguments: [
            "2026-11-26", "2024-02-29", "1970-01-01", "0001-01-01", "9999-12-31", "2027-02-15",
        ])
    func roundTrip(text: String) throws {
        let date = try #require(LocalDate(iso: text))
        #expect(date.iso == text)
        #expect(LocalDate(daysSinceEpoch: date.daysSinceEpoch) == date)
    }

    @Test(
        "impossible or malformed days are refused",
        arguments: [
            "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01", "", "2026-01-01x",
        ])
    func refused(text: String) {
        #expect(LocalDate(iso: text) == nil)
    }

    @Test("weekdays follow ISO numbering, Monday is 1")
    func weekdays() throws {
        #expect(try #require(LocalDate(iso: "2026-11-26")).weekday == 4)  // a Thursday
        #expect(try #require(LocalDate(iso: "2026-11-29")).weekday == 7)  // a Sunday
        #expect(try #require(LocalDate(iso: "2021-02-01")).weekday == 1)  // the manual's Monday
    }

    @Test("adding days crosses months, years and leap days")
    func arithmetic() throws {
        let d = try #require(LocalDate(iso: "2024-02-28"))
        #expect(d.adding(days: 1).iso == "2024-02-29")
        #expect(d.adding(days: 2).iso == "2024-03-01")
        #expect(try #require(LocalDate(iso: "2026-12-31")).adding(days: 1).iso == "2027-01-01")
        #expect(try #require(LocalDate(iso: "2027-01-01")).adding(days: -1).iso == "2026-12-31")
    }

    @Test("French display is day/month/year")
    func french() throws {
        #expect(try #require(LocalDate(iso: "2021-02-04")).french == "04/02/2021")
    }
}
