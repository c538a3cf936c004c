import ArgumentParser
import Foundation
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore

/// `marelle load-fixture`: the data of the rush benchmark and the crash test, made straight
/// in the database (no password hashing: thousands of families): a period open now, one
/// activity with PLACES places on each of DATES weekdays, FAMILIES families with a child and
/// a bearer token each. Prints `activity ID`, the dates, then one `token CHILD_ID` line per
/// family, for the load tools. With `--showcase-password`, first a `showcase EMAIL TOKEN
/// CHILD_ID...` line: a family of three children with a year of bookings (`ShowcaseFixture`).
struct LoadFixtureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-fixture",
        abstract: "Create load-test data in an association (for make bench and make crash-test; never on a real association).")

    @OptionGroup var options: GlobalOptions
    @Option(name: .long, help: "The association's slug.") var tenant: String
    @Option(name: .long, help: "How many families.") var families = 100
    @Option(name: .long, help: "Places per date.") var places = 30
    @Option(name: .long, help: "How many dates (weekdays from two weeks ahead).") var dates = 10
    @Option(
        name: .long, help: "Also a family of three children with a year of bookings, whose parent logs in with this password.")
    var showcasePassword: String?

    func run() async throws {
        try await reportingErrors {
            guard (1...100_000).contains(families), (1...10_000).contains(places), (1...60).contains(dates) else {
                throw TenantErrorLine("families 1..100000, places 1..10000, dates 1..60")
            }
            let runtime = try options.runtime()
            let target = try await runtime.tenants.require(slug: tenant)
            let today = ParisClock.date(of: Date())
            var days: [LocalDate] = []
            var day = today.adding(days: 14)
            while days.count < dates {
                if day.weekday <= 5 { days.append(day) }
                day = day.adding(days: 1)
            }
            let weekdays = days
            let activityID = try await runtime.database.withTenant(try target.scope()) { tx -> Int in
                let period = try PeriodStore().create(
                    tx, name: "Charge \(UUID().uuidString.prefix(8))", kind: .holidays,
                    days: try DateRange(first: today, last: weekdays.last!.adding(days: 7)),
                    opensAt: Date().addingTimeInterval(-3600), closesAt: Date().addingTimeInterval(86_400 * 60))
                let draft = ActivityDraft(
                    name: "CHARGE \(places) PLACES", startsAt: LocalTime(hour: 7, minute: 30)!,
                    endsAt: LocalTime(hour: 8, minute: 30)!,
                    capacity: places, weekdays: [1, 2, 3, 4, 5], validationMode: .manual,
                    bookingDeadline: try DeadlineRule(daysBefore: 1, time: LocalTime(hour: 10, minute: 0)!),
                    cancellationDeadline: try DeadlineRule(daysBefore: 1, time: LocalTime(hour: 10, minute: 0)!))
                return try ActivityStore().create(tx, draft, periodIDs: [period.id], price: .flat(Money(cents: 185)))
            }
            if let password = showcasePassword {
                let showcase = try await ShowcaseFixture.make(runtime, tenant: target, password: password)
                print("showcase \(showcase.email) \(showcase.token) \(showcase.childIDs.map(String.init).joined(separator: " "))")
                print("showcase-activity \(showcase.activityID)")
            }
            print("activity \(activityID)")
            print("dates \(days.map(\.iso).joined(separator: " "))")
            // Families in batches of 500 per transaction.
            var made = 0
            while made < families {
                let batch = min(500, families - made)
                let range = made..<(made + batch)
                let lines = try await runtime.database.withTenant(try target.scope()) { tx -> [String] in
                    var lines: [String] = []
                    for index in range {
                        let familyID = try FamilyStore().create(tx, name: "Charge \(index)")
                        guard
                            let account = try AccountStore().create(
                                tx,
                                email: EmailAddress("charge-\(index)-\(UUID().uuidString.prefix(6).lowercased())@exemple.fr")!,
                                role: .parent,
                                familyID: familyID)
                        else { continue }
                        var child = ChildDraft()
                        (child.firstName, child.lastName, child.birthDate, child.level) = (
                            "Enfant\(index)", "Charge", LocalDate(iso: "2020-05-05"), .ms
                        )
                        let childID = try FamilyFileStore().addChild(tx, familyID: familyID, child)
                        lines.append("\(try ApiTokenStore().issue(tx, accountID: account.id).token) \(childID)")
                    }
                    return lines
                }
                for line in lines { print(line) }
                made += batch
            }
            await runtime.shutdown()
        }
    }
}
