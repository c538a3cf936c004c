import Foundation
import MarelleCore
import MarelleStore

/// A period as `/api/v1/periods` gives it.
struct PeriodBody: Encodable {
    let id: Int
    let name: String
    /// `school_year` or `holidays`.
    let kind: String
    let firstDay: LocalDate
    let lastDay: LocalDate
    let bookingOpensAt: Date
    let bookingClosesAt: Date

    init(_ p: PeriodStore.Period) {
        (id, name, kind, firstDay, lastDay) = (p.id, p.name, p.kind, p.days.first, p.days.last)
        (bookingOpensAt, bookingClosesAt) = (p.opensAt, p.closesAt)
    }
}

/// An activity as `/api/v1/activities` gives it.
struct ActivityBody: Encodable {
    let id: Int
    let name: String
    let startsAt: LocalTime
    let endsAt: LocalTime
    let levels: [SchoolLevel]
    let minimumAge: Int?
    let maximumAge: Int?
    let capacity: Int
    /// ISO weekdays, 1 (Monday) to 7.
    let weekdays: [Int]
    let validationMode: ActivityDraft.ValidationMode
    let bookingDeadline: Deadline
    let cancellationDeadline: Deadline
    let periodIds: [Int]

    struct Deadline: Encodable {
        let daysBefore: Int
        let time: LocalTime
        let workingDaysOnly: Bool
        /// The rule in French, as the pages say it.
        let text: String

        init(_ rule: DeadlineRule) {
            (daysBefore, time, workingDaysOnly, text) = (rule.daysBefore, rule.time, rule.workingDaysOnly, rule.french)
        }
    }

    init(_ activity: ActivityStore.Activity) {
        let d = activity.draft
        (id, name, startsAt, endsAt, capacity) = (activity.id, d.name, d.startsAt, d.endsAt, d.capacity)
        (levels, minimumAge, maximumAge) = (d.eligibility.levels.sorted(), d.eligibility.minimumAge, d.eligibility.maximumAge)
        (weekdays, validationMode, periodIds) = (d.weekdays.sorted(), d.validationMode, activity.periodIDs)
        (bookingDeadline, cancellationDeadline) = (Deadline(d.bookingDeadline), Deadline(d.cancellationDeadline))
    }
}

/// A closure (a day or days without activity) as `/api/v1/closures` gives it; `activityId`
/// `null` closes every activity.
struct ClosureBody: Encodable {
    let id: Int
    let activityId: Int?
    let firstDay: LocalDate
    let lastDay: LocalDate
    let reason: String

    init(_ c: ActivityStore.Closure) {
        (id, activityId, firstDay, lastDay, reason) = (c.id, c.activityID, c.days.first, c.days.last, c.reason)
    }
}

/// The id of what a request created, when nothing more is worth sending back.
struct CreatedBody: Encodable {
    let id: Int
}

/// A document as `/api/v1/.../documents` gives it; `contentUrl` downloads it.
struct DocumentBody: Encodable {
    let id: Int
    let familyId: Int
    let childId: Int?
    let kind: DocumentKind
    let fileName: String
    let contentType: String
    let byteSize: Int
    let sha256: String
    let status: DocumentStatus
    let refusalReason: String?
    let uploadedAt: Date
    let contentUrl: String

    init(_ d: DocumentStore.Document) {
        (id, familyId, childId, kind, fileName) = (d.id, d.familyID, d.childID, d.kind, d.fileName)
        (contentType, byteSize, sha256, status) = (d.type.mediaType, d.byteSize, d.sha256, d.status)
        (refusalReason, uploadedAt, contentUrl) = (d.refusalReason, d.uploadedAt, "/api/v1/documents/\(d.id)/content")
    }
}
