import MarelleCore
import MarelleDatabase

/// Places held per activity and date (`activity_days.held`), changed only by conditional
/// updates inside the transaction that books, cancels or promotes: the row lock of the update
/// is what makes two parents at the same second queue up for the last place.
public struct BookingCounters: Sendable {
    public init() {}

    /// Takes a place if one is free; false when the date is full.
    public func take(_ tx: Session, activityID: Int, day: LocalDate) async throws -> Bool {
        try await tx.execute("INSERT INTO activity_days (activity_id, day) VALUES (\(activityID), \(day)) ON CONFLICT DO NOTHING")
        // The activity row is share-locked: a capacity change (which takes it FOR UPDATE and
        // checks the counters) waits for the bookings in flight, and they for it.
        return try await tx.queryFirst(
            """
            WITH a AS (SELECT capacity FROM activities WHERE id = \(activityID) FOR SHARE)
            UPDATE activity_days d SET held = held + 1
            FROM a
            WHERE d.activity_id = \(activityID) AND d.day = \(day) AND d.held < a.capacity
            RETURNING d.held
            """) != nil
    }

    /// Gives a place back, then hands it to the first line of the waiting list, if any.
    /// Returns the id of the booking promoted.
    @discardableResult
    public func release(_ tx: Session, activityID: Int, day: LocalDate) async throws -> Int? {
        try await tx.execute("UPDATE activity_days SET held = held - 1 WHERE activity_id = \(activityID) AND day = \(day) AND held > 0")
        return try await promote(tx, activityID: activityID, day: day)
    }

    /// After a capacity increase: every coming date's waiting list takes the new places.
    /// Returns the bookings promoted.
    public func promoteAll(_ tx: Session, activityID: Int) async throws -> [Int] {
        var promoted: [Int] = []
        let days: [LocalDate] = try await tx.query(
            "SELECT DISTINCT day FROM bookings WHERE activity_id = \(activityID) AND status = 'waiting' AND day >= current_date ORDER BY day"
        ).map { try $0.decode("day") }
        for day in days {
            while let id = try await promote(tx, activityID: activityID, day: day) { promoted.append(id) }
        }
        return promoted
    }

    /// First in, first out: the oldest waiting line takes the free place, `requested` (or
    /// `validated` when the activity validates automatically).
    public func promote(_ tx: Session, activityID: Int, day: LocalDate) async throws -> Int? {
        guard let next = try await tx.queryFirst(
            """
            SELECT b.id, a.validation_mode FROM bookings b JOIN activities a ON a.id = b.activity_id
            WHERE b.activity_id = \(activityID) AND b.day = \(day) AND b.status = 'waiting'
            ORDER BY b.requested_at, b.id LIMIT 1 FOR UPDATE OF b
            """)
        else { return nil }
        guard try await take(tx, activityID: activityID, day: day) else { return nil }
        let id: Int = try next.decode("id")
        let automatic = (try next.decode("validation_mode", as: String.self)) == "automatic"
        try await tx.execute(
            "UPDATE bookings SET status = \(automatic ? "validated" : "requested"), decided_at = CASE WHEN \(automatic) THEN now() END WHERE id = \(id)")
        return id
    }
}
