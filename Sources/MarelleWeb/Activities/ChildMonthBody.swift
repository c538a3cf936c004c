import MarelleApp
import MarelleCore
import MarelleStore

/// `GET /api/v1/children/{id}/calendar`: a child's month, activity by activity, day by day.
struct ChildMonthBody: Encodable {
    let childId: Int
    /// `YYYY-MM`.
    let month: String
    let activities: [Activity]

    struct Activity: Encodable {
        let activityId: Int
        let name: String
        let days: [Day]
    }

    struct Day: Encodable {
        /// `YYYY-MM-DD`.
        let date: String
        /// One of the `DayAvailability` codes (`free`, `full`, `closed`, ...).
        let state: String
        /// The state in French, as the pages say it.
        let label: String
        /// The price of that day for this child, only when a place is free.
        let priceCents: Int?
    }

    init(childID: Int, month: String, activities: [CalendarStore.ActivityMonth]) {
        self.childId = childID
        self.month = month
        self.activities = activities.map { entry in
            Activity(
                activityId: entry.activity.id, name: entry.activity.draft.name,
                days: entry.days.map { day in
                    Day(date: day.date.iso, state: day.availability.code, label: day.availability.french, priceCents: day.availability.freePrice?.cents)
                })
        }
    }
}
