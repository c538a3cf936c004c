import Foundation
import MarelleCore
import MarelleDatabase

/// The staff's queue "À traiter" and their decisions. Refusing a request or validating a
/// cancellation frees a place, which goes to the waiting list first in, first out, in the
/// same transaction.
public struct BookingDecisions: Sendable {
    public init() {}

    public struct Line: Sendable, Hashable {
        public let id: Int
        public let familyID: Int?
        public let familyName: String
        public let childID: Int?
        public let childName: String
        public let activityID: Int
        public let activityName: String
        public let day: LocalDate
        public let status: BookingStatus
        public let priceCents: Int
        public let requestedAt: Date
        public let submissionID: Int?
    }

    static let columns: SQL = """
        b.id, b.family_id, coalesce(f.name, '(famille effacée)') AS family_name, b.child_id, coalesce(c.first_name || ' ' || c.last_name, '') AS child_name,
        b.activity_id, a.name AS activity_name, b.day, b.status, b.price_cents, b.requested_at, b.submission_id
        """

    static func decode(_ row: Row) throws -> Line {
        Line(
            id: try row.decode("id"), familyID: try row.decode("family_id"), familyName: try row.decode("family_name"),
            childID: try row.decode("child_id"), childName: try row.decode("child_name"),
            activityID: try row.decode("activity_id"), activityName: try row.decode("activity_name"),
            day: try row.decode("day"), status: BookingStatus(rawValue: try row.decode("status")) ?? .requested,
            priceCents: try row.decode("price_cents"), requestedAt: try row.decode("requested_at"),
            submissionID: try row.decode("submission_id"))
    }

    /// Requests and cancellations waiting for a decision, oldest first; optionally one
    /// activity and/or one date.
    public func queue(_ tx: Session, activityID: Int? = nil, day: LocalDate? = nil, limit: Int = 500) throws -> [Line] {
        try tx.query(
            """
            SELECT \(Self.columns) FROM bookings b JOIN activities a ON a.id = b.activity_id
            LEFT JOIN families f ON f.id = b.family_id LEFT JOIN children c ON c.id = b.child_id
            WHERE b.status IN ('requested', 'cancel_requested')
              AND (\(activityID)::bigint IS NULL OR b.activity_id = \(activityID)) AND (\(day)::date IS NULL OR b.day = \(day))
            ORDER BY coalesce(b.cancel_requested_at, b.requested_at), b.id LIMIT \(limit)
            """
        ).map(Self.decode)
    }

    /// A family's bookings (all statuses) between two dates, for its calendar.
    public func bookings(_ tx: Session, familyID: Int, childID: Int? = nil, from: LocalDate, to: LocalDate) throws -> [Line] {
        try tx.query(
            """
            SELECT \(Self.columns) FROM bookings b JOIN activities a ON a.id = b.activity_id
            LEFT JOIN families f ON f.id = b.family_id LEFT JOIN children c ON c.id = b.child_id
            WHERE b.family_id = \(familyID) AND (\(childID)::bigint IS NULL OR b.child_id = \(childID)) AND b.day BETWEEN \(from) AND \(to)
            ORDER BY b.day, a.starts_at, b.id
            """
        ).map(Self.decode)
    }

    /// A live booking as a family's calendar shows it: no names to join but the activity's.
    public struct LiveDay: Sendable, Hashable {
        public let id: Int
        public let childID: Int
        public let activityID: Int
        public let activityName: String
        public let day: LocalDate
        public let status: BookingStatus
    }

    /// A family's live bookings (`BookingStatus.live`) between two dates, by date: what Mon
    /// calendrier and step 3 mark. Narrower than `bookings`: those two pages are the ones
    /// read most, and the family's and children's names they do not need cost a join each.
    public func liveDays(familyID: Int, from: LocalDate, to: LocalDate) -> Query<[LiveDay]> {
        .rows(
            """
            SELECT b.id, b.child_id, b.activity_id, a.name, b.day, b.status
            FROM bookings b JOIN activities a ON a.id = b.activity_id
            WHERE b.family_id = \(familyID) AND b.day BETWEEN \(from) AND \(to)
              AND b.status IN ('requested', 'waiting', 'validated', 'cancel_requested') AND b.child_id IS NOT NULL
            ORDER BY b.day, a.starts_at, b.id
            """
        ) { row in
            LiveDay(
                id: try row.decode(0), childID: try row.decode(1), activityID: try row.decode(2), activityName: try row.decode(3),
                day: try row.decode(4), status: BookingStatus(rawValue: try row.decode(5)) ?? .requested)
        }
    }

    /// What Mon calendrier says of a family's dates beyond their state: the reason of a
    /// refusal, the rank of a waiting line, the cancellation deadline of a validated booking.
    public struct DayNote: Sendable, Hashable {
        public let id: Int
        public let childID: Int
        public let activityName: String
        public let day: LocalDate
        public let status: BookingStatus
        public let refusalReason: String?
        /// 1 for the line the next free place goes to.
        public let rank: Int?
        public let cancellation: DeadlineRule?
    }

    public func dayNotes(familyID: Int, from: LocalDate, to: LocalDate) -> Query<[DayNote]> {
        dayNotes(
            where: """
                b.family_id = \(familyID) AND b.day BETWEEN \(from) AND \(to)
                  AND b.status IN ('waiting', 'validated', 'refused') AND b.child_id IS NOT NULL
                """)
    }

    /// The same of the family's bookings `ids`: what a cancellation asked for must check first.
    public func dayNotes(familyID: Int, ids: [Int]) -> Query<[DayNote]> {
        dayNotes(where: "b.family_id = \(familyID) AND b.id = ANY(\(ids)) AND b.child_id IS NOT NULL")
    }

    private func dayNotes(where filter: SQL) -> Query<[DayNote]> {
        .rows(
            """
            SELECT b.id, b.child_id, a.name, b.day, b.status, b.refusal_reason,
                   a.cancel_days_before, to_char(a.cancel_time, 'HH24:MI') AS cancel_time, a.cancel_working_days,
                   CASE WHEN b.status = 'waiting' THEN (
                       SELECT count(*)::int + 1 FROM bookings w
                       WHERE w.activity_id = b.activity_id AND w.day = b.day AND w.status = 'waiting'
                         AND (w.submission_id, w.id) < (b.submission_id, b.id)) END AS rank
            FROM bookings b JOIN activities a ON a.id = b.activity_id
            WHERE \(filter)
            ORDER BY b.day, a.starts_at, b.id
            """
        ) { row in
            let time = LocalTime(try row.decode("cancel_time", as: String.self))
            let (days, working): (Int, Bool) = (try row.decode("cancel_days_before"), try row.decode("cancel_working_days"))
            return DayNote(
                id: try row.decode("id"), childID: try row.decode("child_id"), activityName: try row.decode("name"),
                day: try row.decode("day"), status: BookingStatus(rawValue: try row.decode("status")) ?? .requested,
                refusalReason: try row.decode("refusal_reason"), rank: try row.decode("rank"),
                cancellation: time.flatMap { try? DeadlineRule(daysBefore: days, time: $0, workingDaysOnly: working) })
        }
    }

    /// The family withdraws lines not decided yet (requested or waiting): they are cancelled;
    /// a request gives its place back, which goes to the waiting list. Returns the lines
    /// withdrawn and those promoted.
    public func withdraw(_ tx: Session, familyID: Int, ids: [Int]) throws -> (withdrawn: [Line], promoted: [Line]) {
        guard !ids.isEmpty else { return ([], []) }
        let lines = try tx.query(
            """
            SELECT \(Self.columns) FROM bookings b JOIN activities a ON a.id = b.activity_id
            LEFT JOIN families f ON f.id = b.family_id LEFT JOIN children c ON c.id = b.child_id
            WHERE b.id = ANY(\(ids)) AND b.family_id = \(familyID) AND b.status IN ('requested', 'waiting')
            ORDER BY b.activity_id, b.day, b.id
            FOR UPDATE OF b
            """
        ).map(Self.decode)
        var promoted: [Int] = []
        for line in lines {
            try tx.execute("UPDATE bookings SET status = 'cancelled', decided_at = now() WHERE id = \(line.id)")
            if line.status == .requested, let id = try BookingCounters().release(tx, activityID: line.activityID, day: line.day) {
                promoted.append(id)
            }
        }
        return (lines, try self.lines(tx, ids: promoted))
    }

    /// Lines by id (any family): what the promotion e-mails describe.
    public func lines(_ tx: Session, ids: [Int]) throws -> [Line] {
        guard !ids.isEmpty else { return [] }
        return try tx.query(
            """
            SELECT \(Self.columns) FROM bookings b JOIN activities a ON a.id = b.activity_id
            LEFT JOIN families f ON f.id = b.family_id LEFT JOIN children c ON c.id = b.child_id WHERE b.id = ANY(\(ids))
            """
        ).map(Self.decode)
    }

    public struct Decision: Sendable {
        public let line: Line
        public let newStatus: BookingStatus
        /// Lines of the waiting list that took the place this decision freed.
        public let promoted: [Line]
    }

    /// Validates or refuses the lines named; lines that are not waiting for that decision are
    /// skipped. Lines are handled in one order (activity, date) so that concurrent batches take
    /// the counters' locks in the same sequence.
    public func decide(_ tx: Session, ids: [Int], validate: Bool, reason: String?, by staffID: Int) throws -> [Decision] {
        guard !ids.isEmpty else { return [] }
        let lines = try tx.query(
            """
            SELECT \(Self.columns) FROM bookings b JOIN activities a ON a.id = b.activity_id
            LEFT JOIN families f ON f.id = b.family_id LEFT JOIN children c ON c.id = b.child_id
            WHERE b.id = ANY(\(ids)) AND b.status IN ('requested', 'cancel_requested', 'waiting')
            ORDER BY b.activity_id, b.day, b.id
            FOR UPDATE OF b
            """
        ).map(Self.decode)
        var decisions: [Decision] = []
        let counters = BookingCounters()
        for line in lines {
            let next: BookingStatus
            var frees = false
            switch (line.status, validate) {
            case (.requested, true): next = .validated
            case (.requested, false): next = .refused; frees = true
            case (.cancelRequested, true): next = .cancelled; frees = true
            case (.cancelRequested, false): next = .validated
            case (.waiting, false): next = .refused
            default: continue
            }
            try tx.execute(
                """
                UPDATE bookings SET status = \(next.rawValue), decided_at = now(), decided_by = \(staffID),
                       refusal_reason = CASE WHEN \(next == .refused) THEN \(reason) ELSE refusal_reason END
                WHERE id = \(line.id)
                """)
            var promoted: [Line] = []
            if frees, let id = try counters.release(tx, activityID: line.activityID, day: line.day) {
                promoted = try self.lines(tx, ids: [id])
            }
            decisions.append(Decision(line: line, newStatus: next, promoted: promoted))
        }
        return decisions
    }

    /// Places held against the lines that hold them, for one activity and date: the invariant
    /// checked by the tests and by `marelle` operators chasing an anomaly.
    public func invariant(_ tx: Session, activityID: Int, day: LocalDate) throws -> (held: Int, holding: Int, capacity: Int) {
        let row = try tx.queryOne(
            """
            SELECT coalesce((SELECT held FROM activity_days WHERE activity_id = \(activityID) AND day = \(day)), 0) AS held,
                   (SELECT count(*)::int FROM bookings WHERE activity_id = \(activityID) AND day = \(day)
                      AND status IN ('requested', 'validated', 'cancel_requested')) AS holding,
                   (SELECT capacity FROM activities WHERE id = \(activityID)) AS capacity
            """)
        return (try row.decode("held"), try row.decode("holding"), try row.decode("capacity"))
    }
}
