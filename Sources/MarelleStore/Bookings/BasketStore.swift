import Foundation
import MarelleCore
import MarelleDatabase

/// The family's basket (panier): lines waiting for "Valider", kept in the database so that it
/// survives logout and is the same on every device.
public struct BasketStore: Sendable {
    public init() {}

    public struct Line: Sendable, Hashable {
        public let id: Int
        public let childID: Int
        public let childName: String
        public let activityID: Int
        public let activityName: String
        public let startsAt: LocalTime
        public let endsAt: LocalTime
        public let day: LocalDate
        public let kind: BasketKind
        public let bookingID: Int?
        /// For a cancellation, the price frozen on the booking it cancels.
        public let bookedPriceCents: Int?

        /// Public for a booking line that is in no basket: the staff's booking for a family.
        public init(
            id: Int, childID: Int, childName: String, activityID: Int, activityName: String, startsAt: LocalTime,
            endsAt: LocalTime, day: LocalDate, kind: BasketKind = .booking, bookingID: Int? = nil, bookedPriceCents: Int? = nil
        ) {
            (self.id, self.childID, self.childName, self.activityID, self.activityName) = (
                id, childID, childName, activityID, activityName
            )
            (self.startsAt, self.endsAt, self.day, self.kind) = (startsAt, endsAt, day, kind)
            (self.bookingID, self.bookedPriceCents) = (bookingID, bookedPriceCents)
        }
    }

    public func lines(_ tx: Session, familyID: Int) throws -> [Line] {
        try tx.fetch(lines(familyID: familyID))
    }

    public func lines(familyID: Int) -> Query<[Line]> {
        .rows(
            """
            SELECT l.id, l.child_id, c.first_name || ' ' || c.last_name AS child_name, l.activity_id, a.name AS activity_name,
                   to_char(a.starts_at, 'HH24:MI') AS starts_at, to_char(a.ends_at, 'HH24:MI') AS ends_at, l.day, l.kind, l.booking_id,
                   b.price_cents AS booked_price
            FROM basket_lines l JOIN children c ON c.id = l.child_id JOIN activities a ON a.id = l.activity_id
            LEFT JOIN bookings b ON b.id = l.booking_id
            WHERE l.family_id = \(familyID)
            ORDER BY l.day, a.starts_at, c.first_name, l.id
            """
        ) {
            Line(
                id: try $0.decode("id"), childID: try $0.decode("child_id"), childName: try $0.decode("child_name"),
                activityID: try $0.decode("activity_id"), activityName: try $0.decode("activity_name"),
                startsAt: LocalTime(try $0.decode("starts_at", as: String.self)) ?? LocalTime(hour: 0, minute: 0)!,
                endsAt: LocalTime(try $0.decode("ends_at", as: String.self)) ?? LocalTime(hour: 0, minute: 0)!,
                day: try $0.decode("day"), kind: BasketKind(rawValue: try $0.decode("kind")) ?? .booking,
                bookingID: try $0.decode("booking_id"), bookedPriceCents: try $0.decode("booked_price"))
        }
    }

    public func count(_ tx: Session, familyID: Int) throws -> Int {
        try tx.queryOne("SELECT count(*)::int AS n FROM basket_lines WHERE family_id = \(familyID)").decode("n")
    }

    /// Adds booking lines for the family's own children and open activities; a line already
    /// there is kept once. Returns how many were added.
    public func addBookings(_ tx: Session, familyID: Int, lines: [(childID: Int, activityID: Int, day: LocalDate)]) throws -> Int
    {
        guard !lines.isEmpty else { return 0 }
        return try tx.queryOne(
            """
            WITH wanted AS (SELECT * FROM unnest(\(lines.map(\.childID)), \(lines.map(\.activityID)), \(lines.map(\.day.iso))::date[]) AS w(child_id, activity_id, day)),
            added AS (
                INSERT INTO basket_lines (family_id, child_id, activity_id, day, kind)
                SELECT \(familyID), w.child_id, w.activity_id, w.day, 'booking' FROM wanted w
                JOIN children c ON c.id = w.child_id AND c.family_id = \(familyID)
                JOIN activities a ON a.id = w.activity_id AND a.closed_at IS NULL
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*)::int AS n FROM added
            """
        ).decode("n")
    }

    /// Adds booking lines for the family's own children and open activities, in one statement
    /// (it runs while the family's row is locked for "Valider"), only when every child named is
    /// the family's and every activity named is open: a request naming anything else is
    /// refused whole rather than trimmed. Nil when refused; otherwise how many were added.
    public func addOwnedBookings(_ tx: Session, familyID: Int, lines: [(childID: Int, activityID: Int, day: LocalDate)]) throws
        -> Int?
    {
        let (children, activities) = (Array(Set(lines.map(\.childID))), Array(Set(lines.map(\.activityID))))
        let row = try tx.queryOne(
            """
            WITH owned AS (
                SELECT (SELECT count(*) FROM children WHERE id = ANY(\(children)) AND family_id = \(familyID)) = \(children.count)
                   AND (SELECT count(*) FROM activities WHERE id = ANY(\(activities)) AND closed_at IS NULL) = \(activities.count) AS ok),
            added AS (
                INSERT INTO basket_lines (family_id, child_id, activity_id, day, kind)
                SELECT \(familyID), w.child_id, w.activity_id, w.day, 'booking'
                FROM unnest(\(lines.map(\.childID)), \(lines.map(\.activityID)), \(lines.map(\.day.iso))::date[]) AS w(child_id, activity_id, day)
                JOIN children c ON c.id = w.child_id AND c.family_id = \(familyID)
                JOIN activities a ON a.id = w.activity_id AND a.closed_at IS NULL
                WHERE (SELECT ok FROM owned)
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT (SELECT ok FROM owned) AS owned, (SELECT count(*)::int FROM added) AS n
            """)
        guard try row.decode("owned", as: Bool.self) else { return nil }
        return try row.decode("n")
    }

    /// Adds a cancellation line for each of the family's validated bookings named.
    public func addCancellations(_ tx: Session, familyID: Int, bookingIDs: [Int]) throws -> Int {
        guard !bookingIDs.isEmpty else { return 0 }
        return try tx.queryOne(
            """
            WITH added AS (
                INSERT INTO basket_lines (family_id, child_id, activity_id, day, kind, booking_id)
                SELECT \(familyID), b.child_id, b.activity_id, b.day, 'cancellation', b.id FROM bookings b
                WHERE b.id = ANY(\(bookingIDs)) AND b.family_id = \(familyID) AND b.status = 'validated'
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*)::int AS n FROM added
            """
        ).decode("n")
    }

    public func remove(_ tx: Session, familyID: Int, lineID: Int) throws -> Bool {
        try tx.queryFirst("DELETE FROM basket_lines WHERE id = \(lineID) AND family_id = \(familyID) RETURNING id") != nil
    }

    public func clear(_ tx: Session, familyID: Int) throws {
        try tx.execute(clearing(familyID: familyID))
    }

    /// The statement that empties the family's basket, for a caller that sends it together
    /// with other writes (`Session.executeTogether`).
    public func clearing(familyID: Int) -> SQL {
        "DELETE FROM basket_lines WHERE family_id = \(familyID)"
    }
}
