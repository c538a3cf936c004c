import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// The family's basket (panier) outside of its submission: read it, with each activity's price
/// for the family's quotient; add dates or cancellations; take a line out; empty it. The pages
/// and the API call the same methods.
public struct Basket: Sendable {
    let database: Database
    let basket = BasketStore()

    public init(database: Database) {
        self.database = database
    }

    /// The lines, and each activity's current price (cents) for the family.
    public struct Contents: Sendable {
        public let lines: [BasketStore.Line]
        public let priceCents: [Int: Int]
        /// Booking lines whose date is full now: "Valider" will put them on the waiting list.
        public let full: Set<Int>
        /// The family's overdue total when it blocks new bookings ("Valider" will refuse them).
        public let blockedCents: Int?
    }

    public func contents(tenant: Tenant, familyID: Int) async throws -> Contents {
        let basket = basket
        return try await database.withTenant(try tenant.scope()) { tx in
            let lines = try basket.lines(tx, familyID: familyID)
            let quotient = try ChildStore().quotient(tx, familyID: familyID)
            var prices: [Int: Int] = [:]
            for id in Set(lines.map(\.activityID)) {
                prices[id] = try ActivityStore().currentPrice(tx, activityID: id)?.price(quotient: quotient).cents ?? 0
            }
            let full: [Int] = try tx.query(
                """
                SELECT l.id FROM basket_lines l JOIN activities a ON a.id = l.activity_id
                JOIN activity_days d ON d.activity_id = l.activity_id AND d.day = l.day
                WHERE l.family_id = \(familyID) AND l.kind = 'booking' AND d.held >= a.capacity
                """
            ).map { try $0.decode("id") }
            return Contents(
                lines: lines, priceCents: prices, full: Set(full),
                blockedCents: try OverdueStore().block(tx, familyID: familyID, today: ParisClock.date(of: Date())))
        }
    }

    public func lines(tenant: Tenant, familyID: Int) async throws -> [BasketStore.Line] {
        let basket = basket
        return try await database.withTenant(try tenant.scope()) { tx in try basket.lines(tx, familyID: familyID) }
    }

    /// Adds dates of one activity for one child; nil when the child is not one `account` may
    /// book for or the activity does not exist. Returns how many lines went in.
    public func addDates(tenant: Tenant, account: Account, familyID: Int, childID: Int, activityID: Int, days: [LocalDate])
        async throws -> Int?
    {
        let basket = basket
        return try await database.withTenant(try tenant.scope()) { tx -> Int? in
            guard try ChildStore().find(tx, id: childID, for: account) != nil, try ActivityStore().find(tx, id: activityID) != nil
            else { return nil }
            return try basket.addBookings(tx, familyID: familyID, lines: days.map { (childID, activityID, $0) })
        }
    }

    /// Puts cancellations of validated bookings of the family in the basket; returns how many.
    @discardableResult
    /// Puts cancellations of validated bookings in the basket; a date whose cancellation
    /// deadline has passed is left out (it would only be refused at "Valider"). Returns how
    /// many went in; with `allOrNothing` (the API), nil and nothing added when one of them
    /// may not be cancelled.
    public func addCancellations(
        tenant: Tenant, familyID: Int, bookingIDs: [Int], allOrNothing: Bool = false, now: Date = Date()
    ) async throws -> Int? {
        let basket = basket
        return try await database.withTenant(try tenant.scope()) { tx in
            let open = try tx.fetch(BookingDecisions().dayNotes(familyID: familyID, ids: bookingIDs)).filter {
                $0.status == .validated && $0.cancellation?.isOpen(for: $0.day, at: now) == true
            }
            if allOrNothing && Set(open.map(\.id)) != Set(bookingIDs) { return nil }
            return try basket.addCancellations(tx, familyID: familyID, bookingIDs: open.map(\.id))
        }
    }

    /// Takes one line out; false when the family has no such line.
    public func remove(tenant: Tenant, familyID: Int, lineID: Int) async throws -> Bool {
        let basket = basket
        return try await database.withTenant(try tenant.scope()) { tx in try basket.remove(tx, familyID: familyID, lineID: lineID)
        }
    }

    public func clear(tenant: Tenant, familyID: Int) async throws {
        let basket = basket
        try await database.withTenant(try tenant.scope()) { tx in try basket.clear(tx, familyID: familyID) }
    }

    /// A family's bookings between two dates (of one child, or all).
    public func bookings(tenant: Tenant, familyID: Int, childID: Int?, from: LocalDate, to: LocalDate) async throws
        -> [BookingDecisions.Line]
    {
        try await database.withTenant(try tenant.scope()) { tx in
            try BookingDecisions().bookings(tx, familyID: familyID, childID: childID, from: from, to: to)
        }
    }

    /// The staff's queue: requests and cancellations waiting for a decision.
    public func queue(tenant: Tenant, activityID: Int?, day: LocalDate?) async throws -> [BookingDecisions.Line] {
        try await database.withTenant(try tenant.scope()) { tx in
            try BookingDecisions().queue(tx, activityID: activityID, day: day)
        }
    }

    /// The queue with the activities to filter it by (the staff's page).
    public func queuePage(tenant: Tenant, activityID: Int?, day: LocalDate?) async throws -> (
        lines: [BookingDecisions.Line], activities: [ActivityStore.Activity]
    ) {
        try await database.withTenant(try tenant.scope()) { tx in
            (try BookingDecisions().queue(tx, activityID: activityID, day: day), try ActivityStore().list(tx))
        }
    }
}
