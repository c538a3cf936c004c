import Foundation
import MarelleCore
import MarelleStore

/// `GET /api/v1/basket`: the lines waiting for "Valider".
public struct BasketBody: Encodable {
    public let lines: [Line]

    public struct Line: Encodable {
        public let id: Int
        public let childId: Int
        public let child: String
        public let activityId: Int
        public let activity: String
        public let day: LocalDate
        public let kind: BasketKind
        /// The booking a cancellation line cancels; `null` on a booking line.
        public let bookingId: Int?

        public init(_ l: BasketStore.Line) {
            (id, childId, child, activityId, activity) = (l.id, l.childID, l.childName, l.activityID, l.activityName)
            (day, kind, bookingId) = (l.day, l.kind, l.bookingID)
        }
    }

    public init(lines: [Line]) {
        self.lines = lines
    }
}

/// `POST /api/v1/basket/lines` and `/basket/cancellations`: how many lines were added.
public struct AddedBody: Encodable {
    public let added: Int

    public init(added: Int) {
        self.added = added
    }
}

/// `POST /api/v1/bookings/withdrawals`: how many requests or waiting lines were taken back
/// (the others named were not the family's, or were decided already).
public struct WithdrawnBody: Encodable {
    public let withdrawn: Int

    public init(withdrawn: Int) {
        self.withdrawn = withdrawn
    }
}

/// `POST /api/v1/absences`: how many dates the absence covers.
public struct RecordedBody: Encodable {
    public let recorded: Int

    public init(recorded: Int) {
        self.recorded = recorded
    }
}

/// `POST /api/v1/basket/submit`: the submission's number and each line's outcome, with why
/// when it was refused.
public struct SubmissionBody: Encodable {
    public let submissionId: Int
    public let lines: [Line]

    public struct Line: Encodable {
        public let childId: Int
        public let child: String
        public let activityId: Int
        public let activity: String
        public let day: LocalDate
        public let kind: BasketKind
        public let outcome: SubmitBasket.Outcome
        /// The day's price for a booking that holds a place; `null` otherwise.
        public let priceCents: Int?
        /// Why a line was refused; `null` otherwise.
        public let reason: String?
        public let bookingId: Int?
    }

    public init(_ r: SubmitBasket.Result) {
        submissionId = r.submissionID
        lines = r.lines.map { l in
            Line(
                childId: l.childID, child: l.childName, activityId: l.activityID, activity: l.activityName, day: l.day,
                kind: l.kind,
                outcome: l.outcome, priceCents: l.priceCents, reason: l.reason, bookingId: l.bookingID)
        }
    }
}

/// A booking as `GET /api/v1/bookings` (the family's) and `GET /api/v1/queue` (the staff's)
/// give it.
public struct BookingBody: Encodable {
    public let id: Int
    /// `null` once the family was erased.
    public let familyId: Int?
    public let family: String
    public let childId: Int?
    public let child: String
    public let activityId: Int
    public let activity: String
    public let day: LocalDate
    public let status: BookingStatus
    /// The status in French, as the pages say it.
    public let label: String
    public let priceCents: Int
    public let requestedAt: Date

    public init(_ l: BookingDecisions.Line) {
        (id, familyId, family, childId, child) = (l.id, l.familyID, l.familyName, l.childID, l.childName)
        (activityId, activity, day, status, label) = (l.activityID, l.activityName, l.day, l.status, l.status.label)
        (priceCents, requestedAt) = (l.priceCents, l.requestedAt)
    }
}

/// `POST /api/v1/queue/decisions`: each line decided, its new status, and the waiting-list
/// lines that took a place it freed.
public struct DecisionsBody: Encodable {
    public let decided: [Decided]

    public struct Decided: Encodable {
        public let id: Int
        public let status: BookingStatus
        public let promoted: [Int]
    }

    public init(_ decisions: [BookingDecisions.Decision]) {
        decided = decisions.map { Decided(id: $0.line.id, status: $0.newStatus, promoted: $0.promoted.map(\.id)) }
    }
}

/// `GET /api/v1/waiting-list`: a waiting line, its rank for its activity and date (1: the
/// next free place is its), when it was submitted, and the date's places.
public struct WaitingLineBody: Encodable {
    public let id: Int
    public let familyId: Int?
    public let family: String
    public let childId: Int?
    public let child: String
    public let activityId: Int
    public let activity: String
    public let day: LocalDate
    public let position: Int
    public let requestedAt: Date
    public let capacity: Int
    public let held: Int

    public init(_ w: WaitingListStore.Line) {
        let l = w.line
        (id, familyId, family, childId, child) = (l.id, l.familyID, l.familyName, l.childID, l.childName)
        (activityId, activity, day, position, requestedAt) = (l.activityID, l.activityName, l.day, w.position, l.requestedAt)
        (capacity, held) = (w.capacity, w.held)
    }
}
