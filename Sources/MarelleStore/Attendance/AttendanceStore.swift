import Foundation
import MarelleCore
import MarelleDatabase

/// Présences: the children booked for an activity on a date, with what the team needs on the
/// day (health, who may pick them up), and the ticks made on the day itself.
public struct AttendanceStore: Sendable {
    public init() {}

    /// One booked child on the day's list.
    public struct Entry: Sendable, Hashable {
        public let bookingID: Int
        public let childID: Int
        public let firstName: String
        public let lastName: String
        public let birthDate: LocalDate
        public let level: String?
        public let allergies: String
        public let diet: String
        public let hasPAI: Bool
        public let mayLeaveAlone: Bool
        public let familyID: Int?
        public let familyName: String
        public let day: LocalDate
        public let status: BookingStatus
        /// The reason the family gave when it declared the child absent; nil when it did not.
        public let absenceReason: String?
        public let tick: Tick

        public var childName: String { "\(firstName) \(lastName)" }
    }

    /// What was ticked on the day for a booking (all nil and false: nothing yet).
    public struct Tick: Sendable, Hashable {
        public var arrivedAt: Date?
        public var leftAt: Date?
        public var pickedUpBy: String?
        public var noShow: Bool
        public var unexpected: Bool

        public init(
            arrivedAt: Date? = nil, leftAt: Date? = nil, pickedUpBy: String? = nil, noShow: Bool = false, unexpected: Bool = false
        ) {
            (self.arrivedAt, self.leftAt, self.pickedUpBy, self.noShow, self.unexpected) = (
                arrivedAt, leftAt, pickedUpBy, noShow, unexpected
            )
        }
    }

    public struct Pickup: Sendable, Hashable {
        public let childID: Int
        public let name: String
        public let phone: String
        public let relationship: String
    }

    public struct Guardian: Sendable, Hashable {
        public let familyID: Int
        public let name: String
        public let phones: [String]
    }

    static let columns: SQL = """
        b.id AS booking_id, b.child_id, c.first_name, c.last_name, c.birth_date, c.level, c.allergies, c.diet, c.has_pai,
        c.may_leave_alone, b.family_id, coalesce(f.name, '') AS family_name, b.day, b.status, x.reason AS absence_reason,
        t.arrived_at, t.left_at, t.picked_up_by, coalesce(t.no_show, false) AS no_show, coalesce(t.unexpected, false) AS unexpected
        FROM bookings b JOIN children c ON c.id = b.child_id LEFT JOIN families f ON f.id = b.family_id
        LEFT JOIN absences x ON x.booking_id = b.id LEFT JOIN attendance t ON t.booking_id = b.id
        """

    /// The children whose booking for `activityID` on `day` is validated (a cancellation
    /// still waiting for its decision keeps the child expected), by name; those whose family
    /// declared an absence carry its reason.
    public func booked(_ tx: Session, activityID: Int, day: LocalDate) throws -> [Entry] {
        try tx.query(
            """
            SELECT \(Self.columns)
            WHERE b.activity_id = \(activityID) AND b.day = \(day) AND b.status IN ('validated', 'cancel_requested')
            ORDER BY lower(c.last_name), lower(c.first_name), b.id
            """
        ).map(Self.decode)
    }

    /// One booking's line, locked so that two tablets ticking it at once take turns.
    public func entry(_ tx: Session, bookingID: Int, activityID: Int? = nil) throws -> Entry? {
        try tx.queryFirst(
            """
            SELECT \(Self.columns)
            WHERE b.id = \(bookingID) AND (\(activityID)::bigint IS NULL OR b.activity_id = \(activityID))
            FOR UPDATE OF b
            """
        ).map(Self.decode)
    }

    /// The people allowed to pick these children up, in the order the family gave them.
    public func pickups(_ tx: Session, childIDs: [Int]) throws -> [Pickup] {
        guard !childIDs.isEmpty else { return [] }
        return try tx.query(
            "SELECT child_id, name, phone, relationship FROM pickup_persons WHERE child_id = ANY(\(childIDs)) ORDER BY id"
        ).map {
            Pickup(
                childID: try $0.decode("child_id"), name: try $0.decode("name"), phone: try $0.decode("phone"),
                relationship: try $0.decode("relationship"))
        }
    }

    /// The legal guardians of these families with the phones they gave (mobile first).
    public func guardians(_ tx: Session, familyIDs: [Int]) throws -> [Guardian] {
        guard !familyIDs.isEmpty else { return [] }
        return try tx.query(
            """
            SELECT family_id, btrim(first_name || ' ' || last_name) AS name,
                   array_remove(ARRAY[nullif(btrim(mobile_phone), ''), nullif(btrim(home_phone), ''), nullif(btrim(work_phone), '')], NULL) AS phones
            FROM guardians WHERE family_id = ANY(\(familyIDs)) ORDER BY id
            """
        ).map {
            Guardian(familyID: try $0.decode("family_id"), name: try $0.decode("name"), phones: try $0.decode("phones"))
        }
    }

    /// A child of the association, for the form that adds one who came unexpected.
    public struct RosterChild: Sendable, Hashable {
        public let id: Int
        public let name: String
        public let familyName: String
    }

    /// Every child of the association, by name (the families' files, not their bookings).
    public func roster(_ tx: Session) throws -> [RosterChild] {
        try tx.query(
            """
            SELECT c.id, c.last_name || ' ' || c.first_name AS name, f.name AS family_name
            FROM children c JOIN families f ON f.id = c.family_id ORDER BY lower(c.last_name), lower(c.first_name), c.id
            """
        ).map { RosterChild(id: try $0.decode("id"), name: try $0.decode("name"), familyName: try $0.decode("family_name")) }
    }

    /// Writes the booking's tick (one row per booking: a second tick replaces the first).
    public func save(_ tx: Session, bookingID: Int, _ tick: Tick, by accountID: Int) throws {
        try tx.execute(
            """
            INSERT INTO attendance (booking_id, arrived_at, left_at, picked_up_by, no_show, unexpected, recorded_by, updated_at)
            VALUES (\(bookingID), \(tick.arrivedAt), \(tick.leftAt), \(tick.pickedUpBy), \(tick.noShow), \(tick.unexpected), \(accountID), now())
            ON CONFLICT (booking_id) DO UPDATE SET arrived_at = EXCLUDED.arrived_at, left_at = EXCLUDED.left_at,
                picked_up_by = EXCLUDED.picked_up_by, no_show = EXCLUDED.no_show,
                unexpected = attendance.unexpected OR EXCLUDED.unexpected, recorded_by = EXCLUDED.recorded_by, updated_at = now()
            """)
    }

    /// A child's live booking for the activity and date, whatever its state.
    public func liveBooking(_ tx: Session, childID: Int, activityID: Int, day: LocalDate) throws -> (
        id: Int, status: BookingStatus
    )? {
        try tx.queryFirst(
            """
            SELECT id, status FROM bookings WHERE child_id = \(childID) AND activity_id = \(activityID) AND day = \(day)
              AND status IN ('requested', 'waiting', 'validated', 'cancel_requested')
            FOR UPDATE
            """
        ).map { (try $0.decode("id"), BookingStatus(rawValue: try $0.decode("status")) ?? .requested) }
    }

    /// The child came without a place: a validated booking made on the spot, counted in the
    /// day's places even above capacity (the child is there). A waiting or requested line of
    /// the same child becomes that booking; a waiting one takes a place it did not hold.
    public func admit(
        _ tx: Session, childID: Int, familyID: Int, activityID: Int, day: LocalDate, priceCents: Int, by accountID: Int
    ) throws -> Int {
        if let live = try liveBooking(tx, childID: childID, activityID: activityID, day: day) {
            guard live.status == .requested || live.status == .waiting else { return live.id }
            try tx.execute(
                "UPDATE bookings SET status = 'validated', decided_at = now(), decided_by = \(accountID) WHERE id = \(live.id)")
            if live.status == .waiting { try BookingCounters().hold(tx, activityID: activityID, day: day) }
            return live.id
        }
        // Two tablets adding the same child at once: the second insert finds the first's row
        // (the live-booking unique index) and uses it; the place is counted once.
        if let inserted = try tx.queryFirst(
            """
            INSERT INTO bookings (family_id, child_id, activity_id, day, status, price_cents, decided_at, decided_by)
            VALUES (\(familyID), \(childID), \(activityID), \(day), 'validated', \(priceCents), now(), \(accountID))
            ON CONFLICT (child_id, activity_id, day) WHERE status IN ('requested', 'waiting', 'validated', 'cancel_requested')
            DO NOTHING RETURNING id
            """)
        {
            try BookingCounters().hold(tx, activityID: activityID, day: day)
            return try inserted.decode("id")
        }
        // Read committed: the other transaction's row, committed, is visible to this statement
        // (0, never an id, if it was gone meanwhile: the caller answers 404).
        return try liveBooking(tx, childID: childID, activityID: activityID, day: day)?.id ?? 0
    }

    static func decode(_ row: Row) throws -> Entry {
        Entry(
            bookingID: try row.decode("booking_id"), childID: try row.decode("child_id"), firstName: try row.decode("first_name"),
            lastName: try row.decode("last_name"), birthDate: try row.decode("birth_date"), level: try row.decode("level"),
            allergies: try row.decode("allergies"), diet: try row.decode("diet"), hasPAI: try row.decode("has_pai"),
            mayLeaveAlone: try row.decode("may_leave_alone"), familyID: try row.decode("family_id"),
            familyName: try row.decode("family_name"), day: try row.decode("day"),
            status: BookingStatus(rawValue: try row.decode("status")) ?? .validated,
            absenceReason: try row.decode("absence_reason"),
            tick: Tick(
                arrivedAt: try row.decode("arrived_at"), leftAt: try row.decode("left_at"),
                pickedUpBy: try row.decode("picked_up_by"), noShow: try row.decode("no_show"),
                unexpected: try row.decode("unexpected")))
    }
}
