import Foundation
import MarelleCore
import MarelleDatabase

/// A child's month: for each open activity, the availability of every day. The source of
/// truth for the planning page and the API alike. It always takes six queries, whatever the
/// number of activities: the activities, their periods, the closures, the single-date
/// changes, the prices in force, and the held places.
public struct CalendarStore: Sendable {
    public init() {}

    public struct Child: Sendable {
        public let level: SchoolLevel?
        public let birthDate: LocalDate

        public init(level: SchoolLevel?, birthDate: LocalDate) {
            self.level = level
            self.birthDate = birthDate
        }
    }

    public struct ActivityMonth: Sendable {
        public let activity: ActivityStore.Activity
        public let days: [(date: LocalDate, availability: DayAvailability)]
        /// The price rule in force: what a waiting-list line is priced at.
        public let price: PriceRule
    }

    public func month(
        _ tx: Session, year: Int, month: Int, child: Child, quotient: Int?, now: Date, activityIDs: [Int]? = nil
    ) throws -> [ActivityMonth] {
        try self.month(
            tx, activities: try ActivityStore().list(tx, ids: activityIDs), year: year, month: month, child: child,
            quotient: quotient, now: now)
    }

    /// `month` for activities already read (`ActivityStore.list(ids:)`, in a round trip
    /// shared with other reads).
    public func month(
        _ tx: Session, activities: [ActivityStore.Activity], year: Int, month: Int, child: Child, quotient: Int?, now: Date
    ) throws -> [ActivityMonth] {
        guard let rules = try rules(tx, activities: activities, year: year, month: month) else { return [] }
        return self.month(rules, activities: activities, year: year, month: month, child: child, quotient: quotient, now: now)
    }

    /// What decides the days of these activities in a month, read once for every child that
    /// looks at it (step 3 shows several); nil when there is nothing to read.
    public func rules(_ tx: Session, activities: [ActivityStore.Activity], year: Int, month: Int) throws -> Rules? {
        guard let first = LocalDate(year: year, month: month, day: 1), !activities.isEmpty else { return nil }
        let last = first.adding(days: LocalDate.daysIn(month: month, year: year) - 1)
        // Five reads that depend only on the activities: one statement (each statement costs
        // PostgreSQL more than the rows these return).
        let reads = RuleReads(activityIDs: "\(activities.map(\.id))", first: "\(first)", last: "\(last)")
        return Rules(try tx.fetchInOne(reads.windows, reads.closures, reads.changes, reads.prices, reads.held))
    }

    /// The five reads for every open activity in a month, to read with the activities
    /// themselves in one statement (`ActivityStore.list(ids: nil)`); nil for no such month.
    public static func openActivityReads(year: Int, month: Int) -> RuleReads? {
        guard let first = LocalDate(year: year, month: month, day: 1) else { return nil }
        let last = first.adding(days: LocalDate.daysIn(month: month, year: year) - 1)
        return RuleReads(
            activityIDs: "ARRAY(SELECT id FROM activities WHERE closed_at IS NULL)", first: "\(first)", last: "\(last)")
    }

    /// A child's month of some activities, from their rules already read.
    public func month(
        _ rules: Rules, activities: [ActivityStore.Activity], year: Int, month: Int, child: Child, quotient: Int?, now: Date
    ) -> [ActivityMonth] {
        guard let first = LocalDate(year: year, month: month, day: 1) else { return [] }
        let last = first.adding(days: LocalDate.daysIn(month: month, year: year) - 1)
        return activities.map { activity in
            let (activityRules, price) = rules.of(activity)
            let days = (first.daysSinceEpoch...last.daysSinceEpoch).map(LocalDate.init(daysSinceEpoch:)).map { date in
                (
                    date,
                    activityRules.availability(
                        on: date, level: child.level, birthDate: child.birthDate, quotient: quotient,
                        held: rules.held[activity.id]?[date] ?? 0, now: now)
                )
            }
            return ActivityMonth(activity: activity, days: days, price: price)
        }
    }

    /// What decides the days of some activities between two dates, as five reads: the booking
    /// windows of their periods, the closures, the single-date changes, the prices in force and
    /// the held places. `activityIDs`, `first` and `last` are SQL: binds for a month of the
    /// calendar, subqueries of the basket for a submission (which reads them all in one
    /// statement with the basket itself).
    public struct RuleReads: Sendable {
        public let windows: Query<[Int: [ActivityRules.BookingWindow]]>
        public let closures: Query<[Int?: [DateRange]]>
        public let changes: Query<(added: [Int: Set<LocalDate>], removed: [Int: Set<LocalDate>])>
        public let prices: Query<[Int: PriceRule]>
        public let held: Query<[Int: [LocalDate: Int]]>

        public init(activityIDs ids: SQL, first: SQL, last: SQL) {
            windows = Query<[Int: [ActivityRules.BookingWindow]]>(
                """
                SELECT ap.activity_id, p.first_day, p.last_day, p.booking_opens_at, p.booking_closes_at
                FROM activity_periods ap JOIN periods p ON p.id = ap.period_id
                WHERE ap.activity_id = ANY(\(ids)) AND p.closed_at IS NULL
                """
            ) { rows in
                var windows: [Int: [ActivityRules.BookingWindow]] = [:]
                for row in rows {
                    windows[try row.decode("activity_id"), default: []].append(
                        .init(
                            period: try DateRange(first: row.decode("first_day"), last: row.decode("last_day")),
                            opensAt: try row.decode("booking_opens_at"), closesAt: try row.decode("booking_closes_at")))
                }
                return windows
            }
            closures = Query<[Int?: [DateRange]]>(
                """
                SELECT activity_id, first_day, last_day FROM closures
                WHERE (activity_id IS NULL OR activity_id = ANY(\(ids))) AND first_day <= \(last) AND last_day >= \(first)
                """
            ) { rows in
                var closures: [Int?: [DateRange]] = [:]
                for row in rows {
                    closures[try row.decode("activity_id", as: Int?.self), default: []].append(
                        try DateRange(first: row.decode("first_day"), last: row.decode("last_day")))
                }
                return closures
            }
            changes = Query<(added: [Int: Set<LocalDate>], removed: [Int: Set<LocalDate>])>(
                "SELECT activity_id, day, runs FROM activity_date_changes WHERE activity_id = ANY(\(ids)) AND day BETWEEN \(first) AND \(last)"
            ) { rows in
                var added: [Int: Set<LocalDate>] = [:]
                var removed: [Int: Set<LocalDate>] = [:]
                for row in rows {
                    let id: Int = try row.decode("activity_id")
                    if try row.decode("runs", as: Bool.self) {
                        added[id, default: []].insert(try row.decode("day"))
                    } else {
                        removed[id, default: []].insert(try row.decode("day"))
                    }
                }
                return (added, removed)
            }
            prices = Query<[Int: PriceRule]>(
                """
                SELECT DISTINCT ON (activity_id) activity_id, flat_cents, brackets::text AS brackets
                FROM activity_prices WHERE activity_id = ANY(\(ids)) AND effective_from <= now()
                ORDER BY activity_id, effective_from DESC, id DESC
                """
            ) { rows in
                var prices: [Int: PriceRule] = [:]
                for row in rows {
                    prices[try row.decode("activity_id")] = try ActivityStore.decodePrice(
                        flatCents: try row.decode("flat_cents"), brackets: try row.decode("brackets"))
                }
                return prices
            }
            held = Query<[Int: [LocalDate: Int]]>(
                "SELECT activity_id, day, held FROM activity_days WHERE activity_id = ANY(\(ids)) AND day BETWEEN \(first) AND \(last)"
            ) { rows in
                var held: [Int: [LocalDate: Int]] = [:]
                for row in rows {
                    held[try row.decode(0), default: [:]][try row.decode(1)] = try row.decode(2)
                }
                return held
            }
        }
    }

    /// The five reads' results, and each activity's rules from them.
    public struct Rules: Sendable {
        let windows: [Int: [ActivityRules.BookingWindow]]
        let closures: [Int?: [DateRange]]
        let added: [Int: Set<LocalDate>]
        let removed: [Int: Set<LocalDate>]
        let prices: [Int: PriceRule]
        /// Places held, by activity and date.
        public let held: [Int: [LocalDate: Int]]

        public init(
            _ results: (
                [Int: [ActivityRules.BookingWindow]], [Int?: [DateRange]],
                (added: [Int: Set<LocalDate>], removed: [Int: Set<LocalDate>]),
                [Int: PriceRule], [Int: [LocalDate: Int]]
            )
        ) {
            (windows, closures, prices, held) = (results.0, results.1, results.3, results.4)
            (added, removed) = (results.2.added, results.2.removed)
        }

        /// The activity's rules, and the price rule in force (what a waiting-list line is
        /// priced at).
        public func of(_ activity: ActivityStore.Activity) -> (ActivityRules, PriceRule) {
            let draft = activity.draft
            let activityWindows = windows[activity.id] ?? []
            let price = prices[activity.id] ?? .flat(.zero)
            let rules = ActivityRules(
                schedule: ActivitySchedule(
                    weekdays: draft.weekdays, periods: activityWindows.map(\.period),
                    closures: (closures[nil] ?? []) + (closures[activity.id] ?? []),
                    addedDates: added[activity.id] ?? [], removedDates: removed[activity.id] ?? []),
                eligibility: draft.eligibility, capacity: draft.capacity, bookingDeadline: draft.bookingDeadline,
                price: price, windows: activityWindows)
            return (rules, price)
        }
    }
}
