import MarelleApp
import MarelleCore
import MarelleStore

/// `GET /api/v1/children/{id}/calendar`: a child's month, activity by activity, day by day.
public struct ChildMonthBody: Encodable {
    public let childId: Int
    /// `YYYY-MM`.
    public let month: String
    public let activities: [Activity]

    public struct Activity: Encodable {
        public let activityId: Int
        public let name: String
        public let days: [Day]
    }

    public struct Day: Encodable {
        /// `YYYY-MM-DD`.
        public let date: String
        /// One of the `DayAvailability` codes (`free`, `full`, `closed`, ...).
        public let state: String
        /// The state in French, as the pages say it.
        public let label: String
        /// The price of that day for this child when a place is free, `null` otherwise.
        public let priceCents: Int?
    }

    public init(childId: Int, month: String, activities: [Activity]) {
        self.childId = childId
        self.month = month
        self.activities = activities
    }

    public init(childID: Int, month: String, activities: [CalendarStore.ActivityMonth]) {
        self.childId = childID
        self.month = month
        self.activities = activities.map { entry in
            Activity(
                activityId: entry.activity.id, name: entry.activity.draft.name,
                days: entry.days.map { day in
                    Day(
                        date: day.date.iso, state: day.availability.code, label: day.availability.label,
                        priceCents: day.availability.freePrice?.cents)
                })
        }
    }
}

extension ChildMonthBody: JSONWritable {
    public func write(to out: JSONWriter.Output) {
        out.raw("{\"childId\":")
        out.number(childId)
        out.raw(",\"month\":")
        out.string(month)
        out.raw(",\"activities\":[")
        for (index, activity) in activities.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"activityId\":")
            out.number(activity.activityId)
            out.raw(",\"name\":")
            out.string(activity.name)
            out.raw(",\"days\":[")
            for (index, day) in activity.days.enumerated() {
                if index > 0 { out.raw(",") }
                out.raw("{\"date\":")
                out.string(day.date)
                out.raw(",\"state\":")
                out.string(day.state)
                out.raw(",\"label\":")
                out.string(day.label)
                out.raw(",\"priceCents\":")
                if let cents = day.priceCents { out.number(cents) } else { out.raw("null") }
                out.raw("}")
            }
            out.raw("]}")
        }
        out.raw("]}")
    }
}
