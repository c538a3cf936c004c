import Foundation
import MarelleCore
import MarelleDatabase

/// What the exports read: bookings, the attendance register, amounts per family and month,
/// and what the CAF hours are counted from. Each row is also the API's JSON for it.
public struct ExportStore: Sendable {
    public init() {}

    public struct BookingRow: Sendable, Hashable, Encodable {
        public let bookingId: Int
        public let day: LocalDate
        public let activityId: Int
        public let activity: String
        public let childId: Int?
        public let childLastName: String
        public let childFirstName: String
        public let familyId: Int?
        public let family: String
        public let status: BookingStatus
        public let priceCents: Int
        public let requestedAt: Date
        public let decidedAt: Date?
        public let refusalReason: String?
    }

    public struct AttendanceRow: Sendable, Hashable, Encodable {
        public let bookingId: Int
        public let day: LocalDate
        public let activityId: Int
        public let activity: String
        public let childId: Int
        public let childLastName: String
        public let childFirstName: String
        public let family: String
        public let arrivedAt: Date?
        public let leftAt: Date?
        public let pickedUpBy: String?
        public let noShow: Bool
        public let unexpected: Bool
        public let absenceReason: String?
    }

    public struct AmountRow: Sendable, Hashable, Encodable {
        public let familyId: Int
        public let family: String
        /// `AAAA-MM`.
        public let month: String
        public let bookings: Int
        public let amountCents: Int
    }

    /// A booking the CAF hours count from: the slot, the ticks, a declared absence.
    public struct AttendedRow: Sendable, Hashable {
        public let childID: Int
        public let childLastName: String
        public let childFirstName: String
        public let birthDate: LocalDate
        public let family: String
        public let cafNumber: String
        public let activityID: Int
        public let activity: String
        public let day: LocalDate
        public let startsAt: LocalTime
        public let endsAt: LocalTime
        public let arrivedAt: Date?
        public let leftAt: Date?
        public let noShow: Bool
        public let declaredAbsent: Bool
    }

    /// Bookings of every status whose date falls between `from` and `to`.
    public func bookings(_ tx: Session, from: LocalDate, to: LocalDate, activityID: Int?) throws -> [BookingRow] {
        try tx.query(
            """
            SELECT b.id, b.day, b.activity_id, a.name AS activity, b.child_id, coalesce(c.last_name, '') AS last_name,
                   coalesce(c.first_name, '') AS first_name, b.family_id, coalesce(f.name, '(famille effacée)') AS family,
                   b.status, b.price_cents, b.requested_at, b.decided_at, b.refusal_reason
            FROM bookings b JOIN activities a ON a.id = b.activity_id
            LEFT JOIN children c ON c.id = b.child_id LEFT JOIN families f ON f.id = b.family_id
            WHERE b.day BETWEEN \(from) AND \(to) AND (\(activityID)::bigint IS NULL OR b.activity_id = \(activityID))
            ORDER BY b.day, a.starts_at, a.name, lower(c.last_name), lower(c.first_name), b.id
            """
        ).map {
            BookingRow(
                bookingId: try $0.decode("id"), day: try $0.decode("day"), activityId: try $0.decode("activity_id"),
                activity: try $0.decode("activity"), childId: try $0.decode("child_id"),
                childLastName: try $0.decode("last_name"), childFirstName: try $0.decode("first_name"),
                familyId: try $0.decode("family_id"), family: try $0.decode("family"),
                status: BookingStatus(rawValue: try $0.decode("status")) ?? .requested, priceCents: try $0.decode("price_cents"),
                requestedAt: try $0.decode("requested_at"), decidedAt: try $0.decode("decided_at"),
                refusalReason: try $0.decode("refusal_reason"))
        }
    }

    static let expected: SQL = """
        FROM bookings b JOIN activities a ON a.id = b.activity_id JOIN children c ON c.id = b.child_id
        LEFT JOIN families f ON f.id = b.family_id
        LEFT JOIN attendance t ON t.booking_id = b.id LEFT JOIN absences x ON x.booking_id = b.id
        """

    /// The register: every booking the day's lists held (validated, or its cancellation
    /// still undecided), with what was ticked.
    public func attendance(_ tx: Session, from: LocalDate, to: LocalDate, activityID: Int?) throws -> [AttendanceRow] {
        try tx.query(
            """
            SELECT b.id, b.day, b.activity_id, a.name AS activity, b.child_id, c.last_name, c.first_name,
                   coalesce(f.name, '') AS family, t.arrived_at, t.left_at, t.picked_up_by,
                   coalesce(t.no_show, false) AS no_show, coalesce(t.unexpected, false) AS unexpected, x.reason AS absence_reason
            \(Self.expected)
            WHERE b.status IN ('validated', 'cancel_requested') AND b.day BETWEEN \(from) AND \(to)
              AND (\(activityID)::bigint IS NULL OR b.activity_id = \(activityID))
            ORDER BY b.day, a.starts_at, a.name, lower(c.last_name), lower(c.first_name), b.id
            """
        ).map {
            AttendanceRow(
                bookingId: try $0.decode("id"), day: try $0.decode("day"), activityId: try $0.decode("activity_id"),
                activity: try $0.decode("activity"), childId: try $0.decode("child_id"),
                childLastName: try $0.decode("last_name"), childFirstName: try $0.decode("first_name"),
                family: try $0.decode("family"), arrivedAt: try $0.decode("arrived_at"), leftAt: try $0.decode("left_at"),
                pickedUpBy: try $0.decode("picked_up_by"), noShow: try $0.decode("no_show"),
                unexpected: try $0.decode("unexpected"), absenceReason: try $0.decode("absence_reason"))
        }
    }

    /// What each family owes per month for its validated bookings (a cancellation still
    /// undecided counts: the place is held) between `from` and `to`.
    public func amounts(_ tx: Session, from: LocalDate, to: LocalDate, activityID: Int?) throws -> [AmountRow] {
        try tx.query(
            """
            SELECT b.family_id, f.name AS family, to_char(b.day, 'YYYY-MM') AS month, count(*)::int AS bookings,
                   sum(b.price_cents)::int AS amount
            FROM bookings b JOIN families f ON f.id = b.family_id
            WHERE b.status IN ('validated', 'cancel_requested') AND b.day BETWEEN \(from) AND \(to)
              AND (\(activityID)::bigint IS NULL OR b.activity_id = \(activityID))
            GROUP BY b.family_id, f.name, month ORDER BY lower(f.name), b.family_id, month
            """
        ).map {
            AmountRow(
                familyId: try $0.decode("family_id"), family: try $0.decode("family"), month: try $0.decode("month"),
                bookings: try $0.decode("bookings"), amountCents: try $0.decode("amount"))
        }
    }

    /// The bookings between `from` and `to` that the CAF hours (and the attendance
    /// certificate, of one family's child) count from.
    public func attended(
        _ tx: Session, from: LocalDate, to: LocalDate, familyID: Int? = nil, childID: Int? = nil
    ) throws -> [AttendedRow] {
        try tx.query(
            """
            SELECT b.child_id, c.last_name, c.first_name, c.birth_date, coalesce(f.name, '') AS family,
                   coalesce((SELECT g.caf_number FROM guardians g WHERE g.family_id = b.family_id AND coalesce(g.caf_number, '') <> ''
                             ORDER BY g.id LIMIT 1), '') AS caf_number,
                   b.activity_id, a.name AS activity, b.day, to_char(a.starts_at, 'HH24:MI') AS starts_at,
                   to_char(a.ends_at, 'HH24:MI') AS ends_at, t.arrived_at, t.left_at, coalesce(t.no_show, false) AS no_show,
                   x.id IS NOT NULL AS declared_absent
            \(Self.expected)
            WHERE b.status IN ('validated', 'cancel_requested') AND b.day BETWEEN \(from) AND \(to)
              AND (\(familyID)::bigint IS NULL OR b.family_id = \(familyID))
              AND (\(childID)::bigint IS NULL OR b.child_id = \(childID))
            ORDER BY lower(c.last_name), lower(c.first_name), b.child_id, a.name, b.activity_id, b.day
            """
        ).map {
            AttendedRow(
                childID: try $0.decode("child_id"), childLastName: try $0.decode("last_name"),
                childFirstName: try $0.decode("first_name"), birthDate: try $0.decode("birth_date"),
                family: try $0.decode("family"), cafNumber: try $0.decode("caf_number"),
                activityID: try $0.decode("activity_id"), activity: try $0.decode("activity"), day: try $0.decode("day"),
                startsAt: LocalTime(try $0.decode("starts_at", as: String.self)) ?? LocalTime(hour: 0, minute: 0)!,
                endsAt: LocalTime(try $0.decode("ends_at", as: String.self)) ?? LocalTime(hour: 0, minute: 0)!,
                arrivedAt: try $0.decode("arrived_at"), leftAt: try $0.decode("left_at"), noShow: try $0.decode("no_show"),
                declaredAbsent: try $0.decode("declared_absent"))
        }
    }
}
