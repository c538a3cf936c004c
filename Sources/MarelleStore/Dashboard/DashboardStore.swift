import Foundation
import MarelleCore
import MarelleDatabase

/// The staff's home page: the day's and the next day's children per activity, and what waits
/// for the team; each count in one statement.
public struct DashboardStore: Sendable {
    public init() {}

    /// The children of an activity on a date, as the day's list counts them.
    public struct DayCount: Sendable, Hashable {
        public let activityID: Int
        public let day: LocalDate
        public let expected: Int
        public let allergies: Int
        public let pai: Int
        /// Declared absent by the family (and not come after all).
        public let absent: Int

        public init(activityID: Int, day: LocalDate, expected: Int, allergies: Int, pai: Int, absent: Int) {
            (self.activityID, self.day, self.expected, self.allergies, self.pai, self.absent) = (
                activityID, day, expected, allergies, pai, absent
            )
        }
    }

    public struct Backlog: Sendable, Hashable {
        /// Requests and cancellations in "À traiter".
        public let toProcess: Int
        public let documentsToCheck: Int
        /// Waiting lines from today on.
        public let waiting: Int
        public let incompleteFamilies: Int
    }

    public func days(_ tx: Session, _ days: [LocalDate]) throws -> [DayCount] {
        try tx.query(
            """
            SELECT b.activity_id, b.day,
                   count(*) FILTER (WHERE x.id IS NULL OR t.arrived_at IS NOT NULL)::int AS expected,
                   count(*) FILTER (WHERE (x.id IS NULL OR t.arrived_at IS NOT NULL) AND btrim(c.allergies) <> '')::int AS allergies,
                   count(*) FILTER (WHERE (x.id IS NULL OR t.arrived_at IS NOT NULL) AND c.has_pai)::int AS pai,
                   count(*) FILTER (WHERE x.id IS NOT NULL AND t.arrived_at IS NULL)::int AS absent
            FROM bookings b JOIN children c ON c.id = b.child_id
            LEFT JOIN absences x ON x.booking_id = b.id LEFT JOIN attendance t ON t.booking_id = b.id
            WHERE b.day = ANY(\(days.map(\.iso))::date[]) AND b.status IN ('validated', 'cancel_requested')
            GROUP BY b.activity_id, b.day
            """
        ).map {
            DayCount(
                activityID: try $0.decode("activity_id"), day: try $0.decode("day"), expected: try $0.decode("expected"),
                allergies: try $0.decode("allergies"), pai: try $0.decode("pai"), absent: try $0.decode("absent"))
        }
    }

    public func backlog(_ tx: Session, today: LocalDate) throws -> Backlog {
        let row = try tx.queryOne(
            """
            SELECT (SELECT count(*)::int FROM bookings WHERE status IN ('requested', 'cancel_requested')) AS to_process,
                   (SELECT count(*)::int FROM documents WHERE status = 'received') AS documents,
                   (SELECT count(*)::int FROM bookings WHERE status = 'waiting' AND day >= \(today)) AS waiting,
                   (SELECT count(*)::int FROM families f WHERE \(FamilyStore.incomplete)) AS incomplete
            """)
        return Backlog(
            toProcess: try row.decode("to_process"), documentsToCheck: try row.decode("documents"),
            waiting: try row.decode("waiting"), incompleteFamilies: try row.decode("incomplete"))
    }
}
