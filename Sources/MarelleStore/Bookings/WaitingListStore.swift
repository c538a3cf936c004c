import Foundation
import MarelleCore
import MarelleDatabase

/// Listes d'attente: the waiting lines of each activity and date in the order the places go
/// to them (`BookingCounters.promote`: by submission, then basket order), and the place the
/// direction offers by hand.
public struct WaitingListStore: Sendable {
    public init() {}

    public struct Line: Sendable, Hashable {
        public let line: BookingDecisions.Line
        /// 1 for the line the next free place goes to, per activity and date.
        public let position: Int
        public let capacity: Int
        public let held: Int
    }

    /// Waiting lines from `from` on, optionally of one activity and/or one date.
    public func lines(_ tx: Session, activityID: Int?, day: LocalDate?, from: LocalDate, limit: Int = 1000) throws -> [Line] {
        try tx.query(
            """
            SELECT \(BookingDecisions.columns), a.capacity, coalesce(d.held, 0) AS held,
                   row_number() OVER (PARTITION BY b.activity_id, b.day ORDER BY b.submission_id, b.id)::int AS position
            FROM bookings b JOIN activities a ON a.id = b.activity_id
            LEFT JOIN families f ON f.id = b.family_id LEFT JOIN children c ON c.id = b.child_id
            LEFT JOIN activity_days d ON d.activity_id = b.activity_id AND d.day = b.day
            WHERE b.status = 'waiting' AND b.day >= \(from)
              AND (\(activityID)::bigint IS NULL OR b.activity_id = \(activityID)) AND (\(day)::date IS NULL OR b.day = \(day))
            ORDER BY b.day, a.starts_at, a.name, b.activity_id, position
            LIMIT \(limit)
            """
        ).map {
            Line(
                line: try BookingDecisions.decode($0), position: try $0.decode("position"), capacity: try $0.decode("capacity"),
                held: try $0.decode("held"))
        }
    }

    /// The waiting line `id` takes a place, validated, even above capacity: the direction
    /// decided (an extra animateur, a sibling). Nil when it is not a waiting line.
    public func offer(_ tx: Session, id: Int, by staffID: Int) throws -> BookingDecisions.Line? {
        guard
            let row = try tx.queryFirst(
                "SELECT activity_id, day FROM bookings WHERE id = \(id) AND status = 'waiting' FOR UPDATE")
        else { return nil }
        let (activityID, day): (Int, LocalDate) = (try row.decode("activity_id"), try row.decode("day"))
        try BookingCounters().hold(tx, activityID: activityID, day: day)
        try tx.execute(
            "UPDATE bookings SET status = 'validated', decided_at = now(), decided_by = \(staffID) WHERE id = \(id)")
        return try BookingDecisions().lines(tx, ids: [id]).first
    }

    /// Whether `id` is a waiting line (locked until the end of the transaction).
    public func isWaiting(_ tx: Session, id: Int) throws -> Bool {
        try tx.queryFirst("SELECT 1 FROM bookings WHERE id = \(id) AND status = 'waiting' FOR UPDATE") != nil
    }
}
