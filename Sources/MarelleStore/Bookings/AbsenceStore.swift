import Foundation
import MarelleCore
import MarelleDatabase

/// Absences declared by families on their booked dates, and the staff's list per day.
public struct AbsenceStore: Sendable {
    public init() {}

    public struct Absence: Sendable, Hashable {
        public let id: Int
        public let bookingID: Int
        public let familyName: String
        public let childName: String
        public let activityName: String
        public let day: LocalDate
        public let reason: String
        public let documentID: Int?
    }

    /// Records the absence on each of the family's live bookings named (a date already
    /// declared keeps its first declaration). Returns how many were recorded.
    public func declare(_ tx: Session, familyID: Int, bookingIDs: [Int], reason: String, documentID: Int?, by accountID: Int)
        throws -> Int
    {
        try tx.queryOne(
            """
            WITH added AS (
                INSERT INTO absences (booking_id, family_id, reason, document_id, declared_by)
                SELECT b.id, \(familyID), \(reason), \(documentID), \(accountID) FROM bookings b
                WHERE b.id = ANY(\(bookingIDs)) AND b.family_id = \(familyID) AND b.status IN ('requested', 'validated', 'cancel_requested')
                ON CONFLICT (booking_id) DO NOTHING RETURNING 1)
            SELECT count(*)::int AS n FROM added
            """
        ).decode("n")
    }

    static let query: SQL = """
        SELECT x.id, x.booking_id, coalesce(f.name, '') AS family_name, coalesce(c.first_name || ' ' || c.last_name, '') AS child_name,
               a.name AS activity_name, b.day, x.reason, x.document_id
        FROM absences x JOIN bookings b ON b.id = x.booking_id JOIN activities a ON a.id = b.activity_id
        LEFT JOIN families f ON f.id = x.family_id LEFT JOIN children c ON c.id = b.child_id
        """

    public func list(_ tx: Session, day: LocalDate) throws -> [Absence] {
        try tx.query("\(Self.query) WHERE b.day = \(day) ORDER BY a.starts_at, child_name").map(Self.decode)
    }

    public func list(_ tx: Session, familyID: Int, from: LocalDate, to: LocalDate) throws -> [Absence] {
        try tx.fetch(list(familyID: familyID, from: from, to: to))
    }

    public func list(familyID: Int, from: LocalDate, to: LocalDate) -> Query<[Absence]> {
        .rows("\(Self.query) WHERE x.family_id = \(familyID) AND b.day BETWEEN \(from) AND \(to) ORDER BY b.day", Self.decode)
    }

    static func decode(_ row: Row) throws -> Absence {
        Absence(
            id: try row.decode("id"), bookingID: try row.decode("booking_id"), familyName: try row.decode("family_name"),
            childName: try row.decode("child_name"), activityName: try row.decode("activity_name"), day: try row.decode("day"),
            reason: try row.decode("reason"), documentID: try row.decode("document_id"))
    }
}
