import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Step 3 of the wizard puts dates in the family's basket: ticked cells, or every chosen
/// weekday of chosen weeks of a period. The basket's own rules (the family's children only,
/// no duplicates) are `BasketStore.addBookings`'; submission decides places.
public struct BasketFilling: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public typealias Line = (childID: Int, activityID: Int, day: LocalDate)

    /// Adds the ticked dates; returns how many lines went in.
    @discardableResult
    public func add(tenant: Tenant, familyID: Int, lines: [Line]) async throws -> Int {
        try await database.withTenant(try tenant.scope()) { tx in
            try BasketStore().addBookings(tx, familyID: familyID, lines: lines)
        }
    }

    /// Adds, for each chosen child and activity, those of `days` on which the activity runs
    /// for the child (free or full: the submission decides between a place and the waiting
    /// list); returns how many lines went in.
    public func addRunningDays(tenant: Tenant, familyID: Int, choices: [(child: Int, activity: Int)], days: [LocalDate])
        async throws -> Int
    {
        try await database.withTenant(try tenant.scope()) { tx -> Int in
            var lines: [Line] = []
            // The family's children and quotient serve every choice: read once, not per choice.
            let (children, quotient) = try tx.fetch(
                ChildStore().list(familyID: familyID), ChildStore().quotient(familyID: familyID))
            for choice in choices {
                guard let child = children.first(where: { $0.id == choice.child }) else { continue }
                let runs = try Self.runningDays(tx, child: child, quotient: quotient, activityID: choice.activity, days: days)
                lines += runs.map { (choice.child, choice.activity, $0) }
            }
            return try BasketStore().addBookings(tx, familyID: familyID, lines: lines)
        }
    }

    static func runningDays(_ tx: Session, child: ChildStore.Child, quotient: Int?, activityID: Int, days: [LocalDate]) throws
        -> [LocalDate]
    {
        var result: [LocalDate] = []
        let wanted = Set(days)
        for key in Set(days.map { $0.year * 100 + $0.month }).sorted() {
            guard
                let month = try CalendarStore().month(
                    tx, year: key / 100, month: key % 100, child: .init(level: child.level, birthDate: child.birthDate),
                    quotient: quotient, now: Date(),
                    activityIDs: [activityID]
                ).first
            else { continue }
            result += month.days.filter { wanted.contains($0.date) && ($0.availability.isBookable || $0.availability == .full) }
                .map(\.date)
        }
        return result
    }
}
