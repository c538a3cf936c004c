import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// The staff's home page: today and tomorrow at a glance, and what waits for the team.
public struct Dashboard: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One activity on one of the two days: its hours and counts (zero when nobody is booked).
    public struct ActivityDay: Sendable {
        public let activity: ActivityStore.Activity
        public let count: DashboardStore.DayCount
    }

    public struct Day: Sendable {
        public let day: LocalDate
        /// The activities that run that day, by start time.
        public let activities: [ActivityDay]
    }

    public struct Summary: Sendable {
        public let days: [Day]
        public let backlog: DashboardStore.Backlog
    }

    public func summary(tenant: Tenant, today: LocalDate) async throws -> Summary {
        try await database.withTenant(try tenant.scope()) { tx in
            let store = DashboardStore()
            let dates = [today, today.adding(days: 1)]
            let activities = try ActivityStore().list(tx)
            let counts = try store.days(tx, dates)
            var days: [Day] = []
            for date in dates {
                // Which activities run is the calendar's word (weekdays, closures, public holidays).
                let rules = try CalendarStore().rules(tx, activities: activities, year: date.year, month: date.month)
                let running = activities.filter { rules?.of($0).0.schedule.runs(on: date) == true }
                days.append(
                    Day(
                        day: date,
                        activities: running.map { activity in
                            ActivityDay(
                                activity: activity,
                                count: counts.first { $0.activityID == activity.id && $0.day == date }
                                    ?? .init(activityID: activity.id, day: date, expected: 0, allergies: 0, pai: 0, absent: 0))
                        }))
            }
            return Summary(days: days, backlog: try store.backlog(tx, today: today))
        }
    }
}
