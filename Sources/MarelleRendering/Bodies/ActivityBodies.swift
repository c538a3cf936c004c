import Foundation
import MarelleCore
import MarelleStore

/// A period as `/api/v1/periods` gives it.
public struct PeriodBody: Encodable {
    public let id: Int
    public let name: String
    /// `school_year` or `holidays`.
    public let kind: String
    public let firstDay: LocalDate
    public let lastDay: LocalDate
    public let bookingOpensAt: Date
    public let bookingClosesAt: Date

    public init(_ p: PeriodStore.Period) {
        (id, name, kind, firstDay, lastDay) = (p.id, p.name, p.kind, p.days.first, p.days.last)
        (bookingOpensAt, bookingClosesAt) = (p.opensAt, p.closesAt)
    }
}

/// An activity as `/api/v1/activities` gives it.
public struct ActivityBody: Encodable {
    public let id: Int
    public let name: String
    public let startsAt: LocalTime
    public let endsAt: LocalTime
    public let levels: [SchoolLevel]
    public let minimumAge: Int?
    public let maximumAge: Int?
    public let capacity: Int
    /// ISO weekdays, 1 (Monday) to 7.
    public let weekdays: [Int]
    public let validationMode: ActivityDraft.ValidationMode
    public let bookingDeadline: Deadline
    public let cancellationDeadline: Deadline
    public let periodIds: [Int]

    public struct Deadline: Encodable {
        public let daysBefore: Int
        public let time: LocalTime
        public let workingDaysOnly: Bool
        /// The rule in French, as the pages say it.
        public let text: String

        public init(_ rule: DeadlineRule) {
            (daysBefore, time, workingDaysOnly, text) = (rule.daysBefore, rule.time, rule.workingDaysOnly, rule.label)
        }
    }

    public init(_ activity: ActivityStore.Activity) {
        let d = activity.draft
        (id, name, startsAt, endsAt, capacity) = (activity.id, d.name, d.startsAt, d.endsAt, d.capacity)
        (levels, minimumAge, maximumAge) = (d.eligibility.levels.sorted(), d.eligibility.minimumAge, d.eligibility.maximumAge)
        (weekdays, validationMode, periodIds) = (d.weekdays.sorted(), d.validationMode, activity.periodIDs)
        (bookingDeadline, cancellationDeadline) = (Deadline(d.bookingDeadline), Deadline(d.cancellationDeadline))
    }
}

/// A closure (a day or days without activity) as `/api/v1/closures` gives it; `activityId`
/// `null` closes every activity.
public struct ClosureBody: Encodable {
    public let id: Int
    public let activityId: Int?
    public let firstDay: LocalDate
    public let lastDay: LocalDate
    public let reason: String

    public init(_ c: ActivityStore.Closure) {
        (id, activityId, firstDay, lastDay, reason) = (c.id, c.activityID, c.days.first, c.days.last, c.reason)
    }
}

/// The id of what a request created, when nothing more is worth sending back.
public struct CreatedBody: Encodable {
    public let id: Int

    public init(id: Int) {
        self.id = id
    }
}

/// A document as `/api/v1/.../documents` gives it; `contentUrl` downloads it.
public struct DocumentBody: Encodable {
    public let id: Int
    public let familyId: Int
    public let childId: Int?
    public let kind: DocumentKind
    public let fileName: String
    public let contentType: String
    public let byteSize: Int
    public let sha256: String
    public let status: DocumentStatus
    public let refusalReason: String?
    public let uploadedAt: Date
    public let contentUrl: String

    public init(_ d: DocumentStore.Document) {
        (id, familyId, childId, kind, fileName) = (d.id, d.familyID, d.childID, d.kind, d.fileName)
        (contentType, byteSize, sha256, status) = (d.type.mediaType, d.byteSize, d.sha256, d.status)
        (refusalReason, uploadedAt, contentUrl) = (d.refusalReason, d.uploadedAt, "/api/v1/documents/\(d.id)/content")
    }
}
