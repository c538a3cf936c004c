import Foundation
import MarelleCore
import MarelleDatabase

/// Activities of one association, with their periods, closures, single-date changes and
/// price history. Every method runs in the caller's tenant transaction.
public struct ActivityStore: Sendable {
    public init() {}

    public struct Activity: Sendable, Hashable {
        public let id: Int
        public let draft: ActivityDraft
        public let periodIDs: [Int]
    }

    public enum Failure: Error, Equatable {
        case invalid([ActivityDraft.Problem])
        case unknownPeriod
        case unknownActivity
    }

    /// Saves a new activity with its periods and first price; nothing is saved when the
    /// draft has a problem or a period is unknown.
    public func create(_ tx: Session, _ draft: ActivityDraft, periodIDs: [Int], price: PriceRule) throws -> Int {
        let problems = draft.problems
        guard problems.isEmpty else { throw Failure.invalid(problems) }
        try requireOpenPeriods(tx, periodIDs)
        let e = draft.eligibility
        let id: Int = try tx.queryOne(
            """
            INSERT INTO activities (name, starts_at, ends_at, levels, minimum_age, maximum_age, capacity, weekdays,
                validation_mode, booking_days_before, booking_time, booking_working_days,
                cancel_days_before, cancel_time, cancel_working_days)
            VALUES (\(draft.name.trimmingCharacters(in: .whitespacesAndNewlines)), \(draft.startsAt.description)::time,
                \(draft.endsAt.description)::time, \(e.levels.sorted().map(\.rawValue)), \(e.minimumAge), \(e.maximumAge),
                \(draft.capacity), \(draft.weekdays.sorted())::int[], \(draft.validationMode.rawValue),
                \(draft.bookingDeadline.daysBefore), \(draft.bookingDeadline.time.description)::time, \(draft.bookingDeadline.workingDaysOnly),
                \(draft.cancellationDeadline.daysBefore), \(draft.cancellationDeadline.time.description)::time,
                \(draft.cancellationDeadline.workingDaysOnly))
            RETURNING id
            """
        ).decode("id")
        try tx.execute(
            "INSERT INTO activity_periods (activity_id, period_id) SELECT \(id), unnest(\(periodIDs))")
        try setPrice(tx, activityID: id, price)
        return id
    }

    /// Changes an open activity. Its capacity may not drop below the places already held on
    /// a coming date (nobody is removed by an edit); the periods are replaced; a price, when
    /// given, starts a new entry of the history.
    public func update(_ tx: Session, id: Int, _ draft: ActivityDraft, periodIDs: [Int], price: PriceRule?) throws {
        var problems = draft.problems
        // Locks the activity's counters: no booking can raise them while the check runs.
        guard try tx.queryFirst("SELECT id FROM activities WHERE id = \(id) AND closed_at IS NULL FOR UPDATE") != nil else {
            throw Failure.unknownActivity
        }
        let busiest = try tx.queryOne(
            "SELECT coalesce(max(held), 0) AS held FROM activity_days WHERE activity_id = \(id) AND day >= current_date"
        ).decode("held", as: Int.self)
        if draft.capacity < busiest {
            problems.append(
                .init(
                    field: "capacity",
                    message: tr("ActivityStore.deja_1_places_reservees_sur", busiest)))
        }
        guard problems.isEmpty else { throw Failure.invalid(problems) }
        try requireOpenPeriods(tx, periodIDs)
        let e = draft.eligibility
        try tx.execute(
            """
            UPDATE activities SET name = \(draft.name.trimmingCharacters(in: .whitespacesAndNewlines)),
                starts_at = \(draft.startsAt.description)::time, ends_at = \(draft.endsAt.description)::time,
                levels = \(e.levels.sorted().map(\.rawValue)), minimum_age = \(e.minimumAge), maximum_age = \(e.maximumAge),
                capacity = \(draft.capacity), weekdays = \(draft.weekdays.sorted())::int[], validation_mode = \(draft.validationMode.rawValue),
                booking_days_before = \(draft.bookingDeadline.daysBefore), booking_time = \(draft.bookingDeadline.time.description)::time,
                booking_working_days = \(draft.bookingDeadline.workingDaysOnly),
                cancel_days_before = \(draft.cancellationDeadline.daysBefore), cancel_time = \(draft.cancellationDeadline.time.description)::time,
                cancel_working_days = \(draft.cancellationDeadline.workingDaysOnly)
            WHERE id = \(id)
            """)
        try tx.execute("DELETE FROM activity_periods WHERE activity_id = \(id) AND NOT (period_id = ANY(\(periodIDs)))")
        try tx.execute(
            "INSERT INTO activity_periods (activity_id, period_id) SELECT \(id), unnest(\(periodIDs)) ON CONFLICT DO NOTHING")
        if let price { try setPrice(tx, activityID: id, price) }
        // More places: the waiting lists of the coming dates take them at once.
        _ = try BookingCounters().promoteAll(tx, activityID: id)
    }

    /// The price in force now.
    public func currentPrice(_ tx: Session, activityID: Int) throws -> PriceRule? {
        guard
            let row = try tx.queryFirst(
                """
                SELECT flat_cents, brackets::text AS brackets FROM activity_prices
                WHERE activity_id = \(activityID) AND effective_from <= now() ORDER BY effective_from DESC, id DESC LIMIT 1
                """)
        else { return nil }
        return try Self.decodePrice(flatCents: try row.decode("flat_cents"), brackets: try row.decode("brackets"))
    }

    /// At least one period, and every one of them open.
    private func requireOpenPeriods(_ tx: Session, _ periodIDs: [Int]) throws {
        let known = try tx.queryOne("SELECT count(*) AS n FROM periods WHERE id = ANY(\(periodIDs)) AND closed_at IS NULL")
            .decode("n", as: Int.self)
        guard !periodIDs.isEmpty, known == Set(periodIDs).count else { throw Failure.unknownPeriod }
    }

    /// A new price, in force from now on; bookings already made keep theirs.
    public func setPrice(_ tx: Session, activityID: Int, _ price: PriceRule) throws {
        switch price {
        case .flat(let amount):
            try tx.execute("INSERT INTO activity_prices (activity_id, flat_cents) VALUES (\(activityID), \(amount.cents))")
        case .quotient(let brackets):
            try tx.execute(
                "INSERT INTO activity_prices (activity_id, brackets) VALUES (\(activityID), \(JSONB(Self.encode(brackets))))")
        }
    }

    public struct Closure: Sendable, Hashable {
        public let id: Int
        public let activityID: Int?
        public let days: DateRange
        public let reason: String
    }

    /// Closes the association (`activityID` nil) or one open activity on some days.
    @discardableResult
    public func addClosure(_ tx: Session, activityID: Int?, days: DateRange, reason: String) throws -> Int {
        if let activityID,
            try tx.queryFirst("SELECT 1 AS x FROM activities WHERE id = \(activityID) AND closed_at IS NULL") == nil
        {
            throw Failure.unknownActivity
        }
        return try tx.queryOne(
            """
            INSERT INTO closures (activity_id, first_day, last_day, reason)
            VALUES (\(activityID), \(days.first), \(days.last), \(reason.trimmingCharacters(in: .whitespacesAndNewlines)))
            RETURNING id
            """
        ).decode("id")
    }

    /// Closures with a day between `from` and `to`, for the reasons the calendar gives parents.
    public func closures(from: LocalDate, to: LocalDate) -> Query<[Closure]> {
        .rows(
            """
            SELECT id, activity_id, first_day, last_day, reason FROM closures
            WHERE last_day >= \(from) AND first_day <= \(to) ORDER BY first_day, id
            """, Self.decodeClosure)
    }

    static func decodeClosure(_ row: Row) throws -> Closure {
        Closure(
            id: try row.decode("id"), activityID: try row.decode("activity_id"),
            days: try DateRange(first: row.decode("first_day"), last: row.decode("last_day")), reason: try row.decode("reason"))
    }

    /// Closures ending today or later, soonest first.
    public func closures(_ tx: Session) throws -> [Closure] {
        try tx.query(
            "SELECT id, activity_id, first_day, last_day, reason FROM closures WHERE last_day >= current_date ORDER BY first_day, id"
        ).map(Self.decodeClosure)
    }

    /// Adds (`runs`) or removes one date of an activity's calendar.
    public func setDate(_ tx: Session, activityID: Int, day: LocalDate, runs: Bool) throws {
        guard try tx.queryFirst("SELECT 1 AS x FROM activities WHERE id = \(activityID) AND closed_at IS NULL") != nil else {
            throw Failure.unknownActivity
        }
        try tx.execute(
            """
            INSERT INTO activity_date_changes (activity_id, day, runs) VALUES (\(activityID), \(day), \(runs))
            ON CONFLICT (activity_id, day) DO UPDATE SET runs = excluded.runs
            """)
    }

    /// Closes an activity: it disappears from parents' choices; its history stays.
    public func close(_ tx: Session, activityID: Int) throws -> Bool {
        try tx.execute("UPDATE activities SET closed_at = now() WHERE id = \(activityID) AND closed_at IS NULL") == 1
    }

    public func find(_ tx: Session, id: Int) throws -> Activity? {
        try list(tx, ids: [id]).first
    }

    /// Open activities (all, or those named), with their periods.
    public func list(_ tx: Session, ids: [Int]? = nil) throws -> [Activity] {
        try tx.fetch(list(ids: ids))
    }

    /// The open activities (those of `ids` only, when given), by start time.
    public func list(ids: [Int]?) -> Query<[Activity]> {
        list(where: "(\(ids)::bigint[] IS NULL OR a.id = ANY(\(ids)))")
    }

    private func list(where filter: SQL) -> Query<[Activity]> {
        .rows(
            """
            SELECT a.id, a.name, to_char(a.starts_at, 'HH24:MI') AS starts_at, to_char(a.ends_at, 'HH24:MI') AS ends_at,
                   a.levels, a.minimum_age, a.maximum_age, a.capacity, a.weekdays, a.validation_mode,
                   a.booking_days_before, to_char(a.booking_time, 'HH24:MI') AS booking_time, a.booking_working_days,
                   a.cancel_days_before, to_char(a.cancel_time, 'HH24:MI') AS cancel_time, a.cancel_working_days,
                   coalesce((SELECT array_agg(period_id ORDER BY period_id) FROM activity_periods p WHERE p.activity_id = a.id), '{}') AS periods
            FROM activities a
            WHERE a.closed_at IS NULL AND \(filter)
            ORDER BY a.starts_at, a.name
            """, Self.decode)
    }

    static func decode(_ row: Row) throws -> Activity {
        let levels = try row.decode("levels", as: [String].self).compactMap(SchoolLevel.init(rawValue:))
        let draft = ActivityDraft(
            name: try row.decode("name"),
            startsAt: LocalTime(try row.decode("starts_at", as: String.self))!,
            endsAt: LocalTime(try row.decode("ends_at", as: String.self))!,
            eligibility: try Eligibility(
                levels: Set(levels), minimumAge: try row.decode("minimum_age"), maximumAge: try row.decode("maximum_age")),
            capacity: try row.decode("capacity"),
            weekdays: Set(try row.decode("weekdays", as: [Int].self)),
            validationMode: ActivityDraft.ValidationMode(rawValue: try row.decode("validation_mode")) ?? .manual,
            bookingDeadline: try DeadlineRule(
                daysBefore: try row.decode("booking_days_before"),
                time: LocalTime(try row.decode("booking_time", as: String.self))!,
                workingDaysOnly: try row.decode("booking_working_days")),
            cancellationDeadline: try DeadlineRule(
                daysBefore: try row.decode("cancel_days_before"),
                time: LocalTime(try row.decode("cancel_time", as: String.self))!,
                workingDaysOnly: try row.decode("cancel_working_days")))
        return Activity(id: try row.decode("id"), draft: draft, periodIDs: try row.decode("periods"))
    }

    /// A quotient bracket as the `price_brackets` column stores it (JSON).
    struct StoredBracket: Codable {
        let cents: Int
        /// The bracket's upper bound; nil (or `null`) for the last, open one.
        let upTo: Int?
    }

    static func encode(_ brackets: [PriceRule.QuotientBracket]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(brackets.map { StoredBracket(cents: $0.price.cents, upTo: $0.upTo) })) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodePrice(flatCents: Int?, brackets: String?) throws -> PriceRule {
        if let flatCents { return .flat(Money(cents: flatCents)) }
        let items = (try? JSONDecoder().decode([StoredBracket].self, from: Data((brackets ?? "[]").utf8))) ?? []
        return try PriceRule.brackets(items.map { PriceRule.QuotientBracket(upTo: $0.upTo, price: Money(cents: $0.cents)) })
    }
}
