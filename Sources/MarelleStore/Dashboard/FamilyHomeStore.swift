import Foundation
import MarelleCore
import MarelleDatabase

/// The parent's home page: what is next and what needs them, for one family.
public struct FamilyHomeStore: Sendable {
    public init() {}

    public struct Upcoming: Sendable, Hashable {
        public let day: LocalDate
        public let activity: String
        public let child: String
        public let status: BookingStatus
    }

    public struct Refused: Sendable, Hashable {
        public let day: LocalDate
        public let activity: String
        public let child: String
        public let reason: String?
    }

    public struct RefusedDocument: Sendable, Hashable {
        public let fileName: String
        public let reason: String
    }

    public struct Summary: Sendable, Hashable {
        public let upcoming: [Upcoming]
        /// Requests and cancellations waiting for the team.
        public let awaitingDecision: Int
        /// Refused in the last 30 days.
        public let refused: [Refused]
        public let refusedDocuments: [RefusedDocument]
        /// Children with no vaccination record sent (nor refused one replaced).
        public let childrenWithoutVaccinations: [String]
        public let incomplete: Bool
    }

    public func summary(_ tx: Session, familyID: Int, today: LocalDate) throws -> Summary {
        let upcoming = try tx.query(
            """
            SELECT b.day, a.name, c.first_name, b.status FROM bookings b JOIN activities a ON a.id = b.activity_id
            JOIN children c ON c.id = b.child_id
            WHERE b.family_id = \(familyID) AND b.day >= \(today) AND b.status IN ('requested', 'waiting', 'validated', 'cancel_requested')
            ORDER BY b.day, a.starts_at, c.first_name LIMIT 6
            """
        ).map {
            Upcoming(
                day: try $0.decode("day"), activity: try $0.decode("name"), child: try $0.decode("first_name"),
                status: BookingStatus(rawValue: try $0.decode("status")) ?? .requested)
        }
        let refused = try tx.query(
            """
            SELECT b.day, a.name, c.first_name, b.refusal_reason FROM bookings b JOIN activities a ON a.id = b.activity_id
            JOIN children c ON c.id = b.child_id
            WHERE b.family_id = \(familyID) AND b.status = 'refused' AND b.decided_at > now() - interval '30 days'
            ORDER BY b.decided_at DESC LIMIT 6
            """
        ).map {
            Refused(
                day: try $0.decode("day"), activity: try $0.decode("name"), child: try $0.decode("first_name"),
                reason: try $0.decode("refusal_reason"))
        }
        let documents = try tx.query(
            """
            SELECT file_name, refusal_reason FROM documents d
            WHERE family_id = \(familyID) AND status = 'refused'
              AND NOT EXISTS (SELECT 1 FROM documents n WHERE n.family_id = d.family_id AND n.kind = d.kind
                              AND n.child_id IS NOT DISTINCT FROM d.child_id AND n.uploaded_at > d.uploaded_at)
            ORDER BY uploaded_at DESC LIMIT 6
            """
        ).map { RefusedDocument(fileName: try $0.decode("file_name"), reason: try $0.decode("refusal_reason")) }
        let row = try tx.queryOne(
            """
            SELECT (SELECT count(*)::int FROM bookings WHERE family_id = \(familyID) AND status IN ('requested', 'cancel_requested')) AS awaiting,
                   coalesce((SELECT array_agg(c.first_name ORDER BY c.birth_date) FROM children c WHERE c.family_id = \(familyID)
                             AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.child_id = c.id AND d.kind = 'vaccinations'
                                             AND d.status IN ('received', 'accepted'))), '{}') AS without_vaccinations,
                   EXISTS (SELECT 1 FROM families f WHERE f.id = \(familyID) AND \(FamilyStore.incomplete)) AS incomplete
            """)
        return Summary(
            upcoming: upcoming, awaitingDecision: try row.decode("awaiting"), refused: refused, refusedDocuments: documents,
            childrenWithoutVaccinations: try row.decode("without_vaccinations"), incomplete: try row.decode("incomplete"))
    }
}
