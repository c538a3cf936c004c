import Foundation
import MarelleApp
import MarelleCore
import MarelleStore

/// `GET /api/v1/attendance`: the lists of a day, one per activity asked for.
public struct AttendanceBody: Encodable {
    public let day: LocalDate
    public let activities: [Sheet]

    public struct Sheet: Encodable {
        public let activityId: Int
        public let activity: String
        public let startsAt: LocalTime
        public let endsAt: LocalTime
        /// False on a closure or a day the activity does not run: both lists are empty.
        public let runs: Bool
        public let expected: [AttendanceChildBody]
        /// Declared absent by the family (and not come after all).
        public let absent: [AttendanceChildBody]

        public init(_ day: AttendanceSheets.Day) {
            (activityId, activity) = (day.activity.id, day.activity.draft.name)
            (startsAt, endsAt, runs) = (day.activity.draft.startsAt, day.activity.draft.endsAt, day.runs)
            expected = day.expected.map(AttendanceChildBody.init)
            absent = day.absent.map(AttendanceChildBody.init)
        }
    }

    public init(day: LocalDate, sheets: [AttendanceSheets.Day]) {
        self.day = day
        activities = sheets.map(Sheet.init)
    }
}

/// One child of a list, and `POST /api/v1/attendance[/{booking}]`'s answer.
public struct AttendanceChildBody: Encodable {
    public let bookingId: Int
    public let childId: Int
    public let child: String
    public let familyId: Int?
    public let family: String
    public let birthDate: LocalDate
    public let level: String?
    public let allergies: String
    public let diet: String
    public let hasPai: Bool
    public let mayLeaveAlone: Bool
    /// `validated`, or `cancel_requested` while the cancellation waits for its decision.
    public let status: String
    public let absenceReason: String?
    public let arrivedAt: Date?
    public let leftAt: Date?
    public let pickedUpBy: String?
    public let noShow: Bool
    public let unexpected: Bool
    public let pickupPersons: [Pickup]
    public let guardians: [Guardian]

    public struct Pickup: Encodable {
        public let name: String
        public let phone: String
        public let relationship: String
    }

    public struct Guardian: Encodable {
        public let name: String
        public let phones: [String]
    }

    public init(_ child: AttendanceSheets.Child) {
        self.init(child.entry, pickups: child.pickups, guardians: child.guardians)
    }

    public init(_ e: AttendanceStore.Entry, pickups: [AttendanceStore.Pickup] = [], guardians: [AttendanceStore.Guardian] = []) {
        (bookingId, childId, child, familyId, family) = (e.bookingID, e.childID, e.childName, e.familyID, e.familyName)
        (birthDate, level, allergies, diet, hasPai, mayLeaveAlone) = (
            e.birthDate, e.level, e.allergies, e.diet, e.hasPAI, e.mayLeaveAlone
        )
        (status, absenceReason) = (e.status.rawValue, e.absenceReason)
        (arrivedAt, leftAt, pickedUpBy, noShow, unexpected) = (
            e.tick.arrivedAt, e.tick.leftAt, e.tick.pickedUpBy, e.tick.noShow, e.tick.unexpected
        )
        pickupPersons = pickups.map { Pickup(name: $0.name, phone: $0.phone, relationship: $0.relationship) }
        self.guardians = guardians.map { Guardian(name: $0.name, phones: $0.phones) }
    }
}

/// `GET /api/v1/dashboard`: today and tomorrow per activity, and what waits for the team.
public struct DashboardBody: Encodable {
    public let days: [Day]
    public let toProcess: Int
    public let documentsToCheck: Int
    public let waiting: Int
    public let incompleteFamilies: Int

    public struct Day: Encodable {
        public let day: LocalDate
        public let activities: [Activity]
    }

    public struct Activity: Encodable {
        public let activityId: Int
        public let activity: String
        public let expected: Int
        public let allergies: Int
        public let pai: Int
        public let absent: Int
    }

    public init(_ summary: Dashboard.Summary) {
        days = summary.days.map { day in
            Day(
                day: day.day,
                activities: day.activities.map {
                    Activity(
                        activityId: $0.activity.id, activity: $0.activity.draft.name, expected: $0.count.expected,
                        allergies: $0.count.allergies, pai: $0.count.pai, absent: $0.count.absent)
                })
        }
        (toProcess, documentsToCheck) = (summary.backlog.toProcess, summary.backlog.documentsToCheck)
        (waiting, incompleteFamilies) = (summary.backlog.waiting, summary.backlog.incompleteFamilies)
    }
}
