import MarelleCore
import MarelleDatabase

/// Places held per activity and date (`activity_days.held`), changed only by conditional
/// updates inside the transaction that books, cancels or promotes: the row lock of the update
/// is what makes two parents at the same second queue up for the last place.
public struct BookingCounters: Sendable {
    public init() {}

    /// Takes a place if one is free; false when the date is full.
    public func take(_ tx: Session, activityID: Int, day: LocalDate) throws -> Bool {
        try tx.execute("INSERT INTO activity_days (activity_id, day) VALUES (\(activityID), \(day)) ON CONFLICT DO NOTHING")
        // The activity row is share-locked: a capacity change (which takes it FOR UPDATE and
        // checks the counters) waits for the bookings in flight, and they for it.
        return try tx.queryFirst(
            """
            WITH a AS (SELECT capacity FROM activities WHERE id = \(activityID) FOR SHARE)
            UPDATE activity_days d SET held = held + 1
            FROM a
            WHERE d.activity_id = \(activityID) AND d.day = \(day) AND d.held < a.capacity
            RETURNING d.held
            """) != nil
    }

    /// One activity and date: the key of a counter.
    public struct Key: Hashable, Sendable, Comparable {
        public let activityID: Int
        public let day: LocalDate
        public init(activityID: Int, day: LocalDate) {
            self.activityID = activityID
            self.day = day
        }
        public static func < (a: Key, b: Key) -> Bool { (a.activityID, a.day) < (b.activityID, b.day) }
    }

    /// Locks the counters of `keys` for the rest of the transaction, the activities (shared)
    /// then the dates, each in one statement and in one order for every transaction (so two
    /// submissions never wait on each other crosswise); returns the free places of each.
    /// A submission takes its locks this way, as late as it can: the busiest rows of an
    /// opening morning are then held for a handful of statements and the commit, not for
    /// the whole basket.
    public func lock(_ tx: Session, _ keys: Set<Key>) throws -> [Key: Int] {
        guard !keys.isEmpty else { return [:] }
        let sorted = keys.sorted()
        let (activities, days) = (sorted.map(\.activityID), sorted.map(\.day.iso))
        // The missing counter rows and the activities' share locks in one statement; the
        // counters are then locked in a statement of their own, which sees the new rows.
        _ = try tx.query(
            """
            WITH created AS (
                INSERT INTO activity_days (activity_id, day) SELECT * FROM unnest(\(activities), \(days)::date[]) ORDER BY 1, 2
                ON CONFLICT DO NOTHING)
            SELECT id FROM activities WHERE id = ANY(\(Array(Set(activities)))) ORDER BY id FOR SHARE
            """)
        return try free(tx, activities: activities, days: days, lock: true)
    }

    /// The free places of counters this transaction has already locked (after it released
    /// some by cancelling).
    public func free(_ tx: Session, _ keys: Set<Key>) throws -> [Key: Int] {
        let sorted = keys.sorted()
        return try free(tx, activities: sorted.map(\.activityID), days: sorted.map(\.day.iso), lock: false)
    }

    private func free(_ tx: Session, activities: [Int], days: [String], lock: Bool) throws -> [Key: Int] {
        var free: [Key: Int] = [:]
        for row in try tx.query(
            """
            SELECT d.activity_id, d.day, a.capacity - d.held AS free
            FROM activity_days d JOIN activities a ON a.id = d.activity_id
            JOIN unnest(\(activities), \(days)::date[]) AS k(activity_id, day) ON k.activity_id = d.activity_id AND k.day = d.day
            ORDER BY d.activity_id, d.day \(unsafeRaw: lock ? "FOR UPDATE OF d" : "")
            """)
        {
            free[Key(activityID: try row.decode("activity_id"), day: try row.decode("day"))] = max(0, try row.decode("free"))
        }
        return free
    }

    /// Takes a place whatever the capacity: the staff's decision (a child who came on the
    /// day, a place offered by hand), never a parent's booking.
    public func hold(_ tx: Session, activityID: Int, day: LocalDate) throws {
        try tx.execute(
            """
            INSERT INTO activity_days (activity_id, day, held) VALUES (\(activityID), \(day), 1)
            ON CONFLICT (activity_id, day) DO UPDATE SET held = activity_days.held + 1
            """)
    }

    /// Gives a place back, then hands it to the first line of the waiting list, if any.
    /// Returns the id of the booking promoted.
    @discardableResult
    public func release(_ tx: Session, activityID: Int, day: LocalDate) throws -> Int? {
        try tx.execute("UPDATE activity_days SET held = held - 1 WHERE activity_id = \(activityID) AND day = \(day) AND held > 0")
        return try promote(tx, activityID: activityID, day: day)
    }

    /// After a capacity increase: every coming date's waiting list takes the new places.
    /// Returns the bookings promoted.
    public func promoteAll(_ tx: Session, activityID: Int) throws -> [Int] {
        var promoted: [Int] = []
        let days: [LocalDate] = try tx.query(
            "SELECT DISTINCT day FROM bookings WHERE activity_id = \(activityID) AND status = 'waiting' AND day >= current_date ORDER BY day"
        ).map { try $0.decode("day") }
        for day in days {
            while let id = try promote(tx, activityID: activityID, day: day) { promoted.append(id) }
        }
        return promoted
    }

    /// First in, first out: the waiting line of the earliest submission takes the free place,
    /// `requested` (or `validated` when the activity validates automatically). Submissions
    /// are ordered by their id, drawn when they arrive and before any counter is locked.
    public func promote(_ tx: Session, activityID: Int, day: LocalDate) throws -> Int? {
        guard
            let next = try tx.queryFirst(
                """
                SELECT b.id, a.validation_mode FROM bookings b JOIN activities a ON a.id = b.activity_id
                WHERE b.activity_id = \(activityID) AND b.day = \(day) AND b.status = 'waiting'
                ORDER BY b.submission_id, b.id LIMIT 1 FOR UPDATE OF b
                """)
        else { return nil }
        guard try take(tx, activityID: activityID, day: day) else { return nil }
        let id: Int = try next.decode("id")
        let automatic = (try next.decode("validation_mode", as: String.self)) == "automatic"
        try tx.execute(
            "UPDATE bookings SET status = \(automatic ? "validated" : "requested"), decided_at = CASE WHEN \(automatic) THEN now() END WHERE id = \(id)"
        )
        return id
    }
}
