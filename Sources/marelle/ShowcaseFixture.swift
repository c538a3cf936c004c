import Foundation
import MarelleApp
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// The family of the page benchmarks: three children with a validated booking on every
/// weekday of a year (half past, half to come) on an activity of its own, a parent who logs
/// in with `password` (the login storm uses the same account), and a bearer token.
struct ShowcaseFixture {
    let email: String
    let token: String
    let childIDs: [Int]
    let activityID: Int

    static func make(_ runtime: Runtime, tenant: Tenant, password: String) async throws -> ShowcaseFixture {
        let hash = try await runtime.hasher.hash(password)
        let today = ParisClock.date(of: Date())
        let (first, last) = (today.adding(days: -182), today.adding(days: 182))
        let email = "vitrine-\(UUID().uuidString.prefix(6).lowercased())@exemple.fr"
        return try await runtime.database.withTenant(try tenant.scope()) { tx in
            let period = try PeriodStore().create(
                tx, name: "Année \(UUID().uuidString.prefix(8))", kind: .schoolYear,
                days: try DateRange(first: first, last: last),
                opensAt: Date().addingTimeInterval(-3600), closesAt: Date().addingTimeInterval(86_400 * 60))
            let draft = ActivityDraft(
                name: "ANNÉE SOIR", startsAt: LocalTime(hour: 16, minute: 30)!, endsAt: LocalTime(hour: 18, minute: 0)!,
                capacity: 30, weekdays: [1, 2, 3, 4, 5], validationMode: .automatic,
                bookingDeadline: try DeadlineRule(daysBefore: 1, time: LocalTime(hour: 10, minute: 0)!),
                cancellationDeadline: try DeadlineRule(daysBefore: 1, time: LocalTime(hour: 10, minute: 0)!))
            let activityID = try ActivityStore().create(tx, draft, periodIDs: [period.id], price: .flat(Money(cents: 320)))
            let familyID = try FamilyStore().create(tx, name: "Vitrine")
            guard let account = try AccountStore().create(tx, email: EmailAddress(email)!, role: .parent, familyID: familyID)
            else {
                throw TenantErrorLine("could not create the showcase account")
            }
            try AccountStore().setPassword(tx, id: account.id, hash: hash)
            var childIDs: [Int] = []
            for (name, level, born) in [
                ("Alice", SchoolLevel.cm1, "2016-03-02"), ("Basile", .ce1, "2018-07-14"), ("Chloé", .ms, "2021-11-30"),
            ] {
                var child = ChildDraft()
                (child.firstName, child.lastName, child.birthDate, child.level) = (name, "Vitrine", LocalDate(iso: born), level)
                childIDs.append(try FamilyFileStore().addChild(tx, familyID: familyID, child))
            }
            // Straight rows, as a year of validated requests leaves them; the counters follow.
            try tx.execute(
                """
                INSERT INTO bookings (family_id, child_id, activity_id, day, status, price_cents, decided_at)
                SELECT \(familyID), c, \(activityID), d::date, 'validated', 320, now()
                FROM unnest(\(childIDs)) AS c, generate_series(\(first)::date, \(last)::date, interval '1 day') AS d
                WHERE extract(isodow FROM d) <= 5
                """)
            try tx.execute(
                """
                INSERT INTO activity_days (activity_id, day, held)
                SELECT activity_id, day, count(*) FROM bookings WHERE activity_id = \(activityID) GROUP BY activity_id, day
                """)
            let token = try ApiTokenStore().issue(tx, accountID: account.id).token
            return ShowcaseFixture(email: email, token: token, childIDs: childIDs, activityID: activityID)
        }
    }
}
