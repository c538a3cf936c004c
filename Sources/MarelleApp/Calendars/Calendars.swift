import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// What parents (and staff) read of the months: a child's availability (the API calendar and
/// step 3 of the wizard) and a family's bookings (Mon calendrier). Reads only, so each runs
/// without a transaction around it (`withTenantReads`: one implicit transaction per round
/// trip, no BEGIN or COMMIT); the caller is checked in the first round trip.
public struct Calendars: Sendable {
    let database: Database
    let children = ChildStore()
    let calendar = CalendarStore()

    public init(database: Database) {
        self.database = database
    }

    /// A child's month, activity by activity; nil when the child is not one the caller may see
    /// (a parent sees their own family's, staff any).
    public func childMonth(
        tenant: Tenant, caller: Caller, childID: Int, year: Int, month: Int, now: Date = Date()
    ) async throws -> [CalendarStore.ActivityMonth]? {
        let (children, calendar) = (children, calendar)
        return try await database.withTenantReads(try tenant.scope()) { tx -> [CalendarStore.ActivityMonth]? in
            let account = try caller.account(tx)
            // The child, its family's quotient, the open activities and what decides their
            // days: one statement.
            guard let reads = CalendarStore.openActivityReads(year: year, month: month) else { return [] }
            let (found, quotient, activities, windows, closures, changes, prices, held) = try tx.fetchInOne(
                children.find(id: childID, for: account), children.quotient(ofChild: childID), ActivityStore().list(ids: nil),
                reads.windows, reads.closures, reads.changes, reads.prices, reads.held)
            guard let child = found else { return nil }
            return calendar.month(
                CalendarStore.Rules((windows, closures, changes, prices, held)), activities: activities, year: year, month: month,
                child: .init(level: child.level, birthDate: child.birthDate), quotient: quotient, now: now)
        }
    }

    /// Step 1: the family's children.
    public func children(tenant: Tenant, familyID: Int) async throws -> [FamilyFileStore.Child] {
        try await database.withTenantReads(try tenant.scope()) { tx in try FamilyFileStore().children(tx, familyID: familyID) }
    }

    /// Step 2: the chosen children of the family, and the open activities to choose from.
    public func choices(tenant: Tenant, familyID: Int, childIDs: Set<Int>, today: LocalDate) async throws -> Choices {
        try await database.withTenantReads(try tenant.scope()) { tx in
            let activities = try ActivityStore().list(tx)
            let rules = try CalendarStore().rules(tx, activities: activities, year: today.year, month: today.month)
            let quotient = try ChildStore().quotient(tx, familyID: familyID)
            return Choices(
                children: try FamilyFileStore().children(tx, familyID: familyID).filter { childIDs.contains($0.id) },
                activities: activities, periods: try tx.fetch(PeriodStore().open()),
                prices: Dictionary(
                    uniqueKeysWithValues: activities.compactMap { a in rules.map { (a.id, $0.of(a).1.price(quotient: quotient)) }
                    }))
        }
    }

    /// Step 2: the chosen children, the activities, their periods and the family's price of
    /// each (its quotient familial applied).
    public struct Choices: Sendable {
        public let children: [FamilyFileStore.Child]
        public let activities: [ActivityStore.Activity]
        public let periods: [PeriodStore.Period]
        public let prices: [Int: Money]
    }

    /// Mon calendrier: the calling parent's children with their bookings, basket lines and
    /// absences of the month starting on `first`.
    public struct FamilyMonth: Sendable {
        public let children: [ChildStore.Child]
        public let bookings: [BookingDecisions.LiveDay]
        public let basket: [BasketStore.Line]
        /// The bookings marked absent.
        public let absences: Set<Int>
        /// By booking: a waiting line's rank, a validated booking's cancellation deadline.
        public let notes: [Int: BookingDecisions.DayNote]
        /// The month's refused dates, with their reasons.
        public let refused: [BookingDecisions.DayNote]
    }

    public func familyMonth(tenant: Tenant, caller: Caller, first: LocalDate) async throws -> FamilyMonth {
        let last = first.adding(days: LocalDate.daysIn(month: first.month, year: first.year) - 1)
        return try await database.withTenantReads(try tenant.scope()) { tx in
            let familyID = try caller.familyID(tx)
            // Four independent reads, one round trip (as one statement, the records' text cost
            // PostgreSQL more than the three statements saved: make cpu-per-request).
            let (children, bookings, basket, absences, notes) = try tx.fetch(
                ChildStore().list(familyID: familyID), BookingDecisions().liveDays(familyID: familyID, from: first, to: last),
                BasketStore().lines(familyID: familyID), AbsenceStore().list(familyID: familyID, from: first, to: last),
                BookingDecisions().dayNotes(familyID: familyID, from: first, to: last))
            return FamilyMonth(
                children: children, bookings: bookings, basket: basket, absences: Set(absences.map(\.bookingID)),
                notes: Dictionary(notes.map { ($0.id, $0) }) { first, _ in first },
                refused: notes.filter { $0.status == .refused })
        }
    }

    /// Step 3: for each chosen child, the month of the chosen activities, with what the family
    /// has in its basket and booked, and the periods the activities belong to.
    public struct Planning: Sendable {
        public let children: [Int: ChildStore.Child]
        public let basket: [BasketStore.Line]
        public let booked: [BookingDecisions.LiveDay]
        /// Child id -> activity id -> month.
        public let months: [Int: [Int: CalendarStore.ActivityMonth]]
        public let periods: [PeriodStore.Period]
        /// Closures of the month (the association's and the activities'), with their reasons.
        public let closures: [ActivityStore.Closure]
    }

    public func planning(
        tenant: Tenant, caller: Caller, choices: [(child: Int, activity: Int)], first: LocalDate, now: Date = Date()
    ) async throws -> Planning {
        let last = first.adding(days: LocalDate.daysIn(month: first.month, year: first.year) - 1)
        let calendar = calendar
        return try await database.withTenantReads(try tenant.scope()) { tx in
            let familyID = try caller.familyID(tx)
            // Everything but the days of the activities in one round trip, then what decides
            // those days in one statement, whatever the number of children.
            let (list, quotient, activities, basket, booked, periods, closures) = try tx.fetch(
                ChildStore().list(familyID: familyID), ChildStore().quotient(familyID: familyID),
                ActivityStore().list(ids: Array(Set(choices.map(\.activity)))), BasketStore().lines(familyID: familyID),
                BookingDecisions().liveDays(familyID: familyID, from: first, to: last), PeriodStore().open(),
                ActivityStore().closures(from: first, to: last))
            let children = Dictionary(list.map { ($0.id, $0) }) { first, _ in first }
            var months: [Int: [Int: CalendarStore.ActivityMonth]] = [:]
            if let rules = try calendar.rules(tx, activities: activities, year: first.year, month: first.month) {
                for childID in Set(choices.map(\.child)) {
                    guard let child = children[childID] else { continue }
                    let chosen = Set(choices.filter { $0.child == childID }.map(\.activity))
                    let read = calendar.month(
                        rules, activities: activities.filter { chosen.contains($0.id) }, year: first.year, month: first.month,
                        child: .init(level: child.level, birthDate: child.birthDate), quotient: quotient, now: now)
                    months[childID] = Dictionary(read.map { ($0.activity.id, $0) }) { first, _ in first }
                }
            }
            return Planning(
                children: children, basket: basket, booked: booked, months: months, periods: periods, closures: closures)
        }
    }
}
