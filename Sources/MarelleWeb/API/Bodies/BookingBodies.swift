import Foundation
import MarelleCore
import MarelleStore

/// `GET /api/v1/basket`: the lines waiting for "Valider".
struct BasketBody: Encodable {
    let lines: [Line]

    struct Line: Encodable {
        let id: Int
        let childId: Int
        let child: String
        let activityId: Int
        let activity: String
        let day: LocalDate
        let kind: BasketKind
        /// The booking a cancellation line cancels; `null` on a booking line.
        let bookingId: Int?

        init(_ l: BasketStore.Line) {
            (id, childId, child, activityId, activity) = (l.id, l.childID, l.childName, l.activityID, l.activityName)
            (day, kind, bookingId) = (l.day, l.kind, l.bookingID)
        }
    }
}

/// `POST /api/v1/basket/lines` and `/basket/cancellations`: how many lines were added.
struct AddedBody: Encodable {
    let added: Int
}

/// `POST /api/v1/absences`: how many dates the absence covers.
struct RecordedBody: Encodable {
    let recorded: Int
}

/// `POST /api/v1/basket/submit`: the submission's number and each line's outcome, with why
/// when it was refused.
struct SubmissionBody: Encodable {
    let submissionId: Int
    let lines: [Line]

    struct Line: Encodable {
        let childId: Int
        let child: String
        let activityId: Int
        let activity: String
        let day: LocalDate
        let kind: BasketKind
        let outcome: SubmitBasket.Outcome
        /// The day's price for a booking that holds a place; `null` otherwise.
        let priceCents: Int?
        /// Why a line was refused; `null` otherwise.
        let reason: String?
        let bookingId: Int?
    }

    init(_ r: SubmitBasket.Result) {
        submissionId = r.submissionID
        lines = r.lines.map { l in
            Line(childId: l.childID, child: l.childName, activityId: l.activityID, activity: l.activityName, day: l.day, kind: l.kind,
                 outcome: l.outcome, priceCents: l.priceCents, reason: l.reason, bookingId: l.bookingID)
        }
    }
}

/// A booking as `GET /api/v1/bookings` (the family's) and `GET /api/v1/queue` (the staff's)
/// give it.
struct BookingBody: Encodable {
    let id: Int
    /// `null` once the family was erased.
    let familyId: Int?
    let family: String
    let childId: Int?
    let child: String
    let activityId: Int
    let activity: String
    let day: LocalDate
    let status: BookingStatus
    /// The status in French, as the pages say it.
    let label: String
    let priceCents: Int
    let requestedAt: Date

    init(_ l: BookingDecisions.Line) {
        (id, familyId, family, childId, child) = (l.id, l.familyID, l.familyName, l.childID, l.childName)
        (activityId, activity, day, status, label) = (l.activityID, l.activityName, l.day, l.status, l.status.french)
        (priceCents, requestedAt) = (l.priceCents, l.requestedAt)
    }
}

/// `POST /api/v1/queue/decisions`: each line decided, its new status, and the waiting-list
/// lines that took a place it freed.
struct DecisionsBody: Encodable {
    let decided: [Decided]

    struct Decided: Encodable {
        let id: Int
        let status: BookingStatus
        let promoted: [Int]
    }

    init(_ decisions: [BookingDecisions.Decision]) {
        decided = decisions.map { Decided(id: $0.line.id, status: $0.newStatus, promoted: $0.promoted.map(\.id)) }
    }
}
