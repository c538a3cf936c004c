import Foundation
import MarelleCore
import MarelleDatabase

import struct Foundation.Date

/// Periods (school year, holidays) and the windows during which they can be booked.
public struct PeriodStore: Sendable {
    public init() {}

    public struct Period: Sendable, Hashable {
        public let id: Int
        public let name: String
        public let kind: String
        public let days: DateRange
        public let opensAt: Date
        public let closesAt: Date
    }

    public enum Kind: String, Sendable {
        case schoolYear = "school_year"
        case holidays
    }

    public enum Failure: Error, Equatable {
        case invalid(field: String, message: String)
        case overlaps(String)
    }

    /// Saves a period. Two periods of the same kind may not overlap (two school years, two
    /// holidays on the same days).
    public func create(_ tx: Session, name: String, kind: Kind, days: DateRange, opensAt: Date, closesAt: Date) throws -> Period {
        try check(tx, id: nil, name: name, kind: kind, days: days, opensAt: opensAt, closesAt: closesAt)
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        return try Self.decode(
            try tx.queryOne(
                """
                INSERT INTO periods (name, kind, first_day, last_day, booking_opens_at, booking_closes_at)
                VALUES (\(trimmed), \(kind.rawValue), \(days.first), \(days.last), \(opensAt), \(closesAt))
                RETURNING id, name, kind, first_day, last_day, booking_opens_at, booking_closes_at
                """))
    }

    /// Changes an open period, under the same rules as `create`.
    public func update(_ tx: Session, id: Int, name: String, kind: Kind, days: DateRange, opensAt: Date, closesAt: Date) throws
        -> Period?
    {
        guard try tx.queryFirst("SELECT id FROM periods WHERE id = \(id) AND closed_at IS NULL FOR UPDATE") != nil else {
            return nil
        }
        try check(tx, id: id, name: name, kind: kind, days: days, opensAt: opensAt, closesAt: closesAt)
        return try tx.queryFirst(
            """
            UPDATE periods SET name = \(name.trimmingCharacters(in: .whitespacesAndNewlines)), kind = \(kind.rawValue),
                first_day = \(days.first), last_day = \(days.last), booking_opens_at = \(opensAt), booking_closes_at = \(closesAt)
            WHERE id = \(id)
            RETURNING id, name, kind, first_day, last_day, booking_opens_at, booking_closes_at
            """
        ).map(Self.decode)
    }

    public func find(_ tx: Session, id: Int) throws -> Period? {
        try tx.queryFirst(
            "SELECT id, name, kind, first_day, last_day, booking_opens_at, booking_closes_at FROM periods WHERE id = \(id) AND closed_at IS NULL"
        ).map(Self.decode)
    }

    /// The rules of a period; the overlap check runs under a lock, so two staff members
    /// saving at once cannot both get past it.
    private func check(_ tx: Session, id: Int?, name: String, kind: Kind, days: DateRange, opensAt: Date, closesAt: Date) throws {
        guard (1...200).contains(name.trimmingCharacters(in: .whitespacesAndNewlines).count) else {
            throw Failure.invalid(field: "name", message: tr("PeriodStore.indiquez_le_nom_de_la"))
        }
        guard opensAt < closesAt else {
            throw Failure.invalid(field: "bookingClosesAt", message: tr("PeriodStore.la_fin_des_inscriptions_doit"))
        }
        try tx.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.periods'))")
        if let other = try tx.queryFirst(
            """
            SELECT name FROM periods WHERE kind = \(kind.rawValue) AND closed_at IS NULL AND id <> coalesce(\(id), -1)
              AND first_day <= \(days.last) AND last_day >= \(days.first) LIMIT 1
            """)
        {
            throw Failure.overlaps(try other.decode("name"))
        }
    }

    /// Closes a period: it is no longer offered, and its days can no longer be booked.
    public func close(_ tx: Session, id: Int) throws -> Bool {
        try tx.execute("UPDATE periods SET closed_at = now() WHERE id = \(id) AND closed_at IS NULL") == 1
    }

    public func list(_ tx: Session) throws -> [Period] {
        try tx.fetch(open())
    }

    /// The periods not closed, by first day.
    public func open() -> Query<[Period]> {
        .rows(
            "SELECT id, name, kind, first_day, last_day, booking_opens_at, booking_closes_at FROM periods WHERE closed_at IS NULL ORDER BY first_day",
            Self.decode)
    }

    static func decode(_ row: Row) throws -> Period {
        Period(
            id: try row.decode("id"), name: try row.decode("name"), kind: try row.decode("kind"),
            days: try DateRange(first: row.decode("first_day"), last: row.decode("last_day")),
            opensAt: try row.decode("booking_opens_at"), closesAt: try row.decode("booking_closes_at"))
    }
}
