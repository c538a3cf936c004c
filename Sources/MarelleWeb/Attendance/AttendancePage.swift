import Foundation
import MarelleApp
import MarelleCore
import MarelleStore

/// `staff_attendance.mustache`: a day's sheets, one section (one printed page) per activity.
struct AttendancePage {
    let layout: LayoutModel
    let day: String
    let dayFrench: String
    /// The A4 version: no buttons, a signature column.
    let printing: Bool
    let tablet: Bool
    let activityID: String?
    let printLink: String
    let activities: [Choice]
    let sheets: [Sheet]
    let roster: [Option]
    let error: String?

    struct Option {
        let id: Int
        let label: String
    }

    struct Sheet {
        let activityId: Int
        let activity: String
        let hours: String
        let runs: Bool
        let expectedCount: Int
        let allergyCount: Int
        let paiCount: Int
        let arrivedCount: Int
        let expected: [Child]
        let absent: [Child]
        let hasExpected: Bool
        let hasAbsent: Bool

        init(_ sheet: AttendanceSheets.Day) {
            (activityId, activity, runs) = (sheet.activity.id, sheet.activity.draft.name, sheet.runs)
            hours = "\(sheet.activity.draft.startsAt.french) – \(sheet.activity.draft.endsAt.french)"
            expected = sheet.expected.map { Child($0, day: sheet.day) }
            absent = sheet.absent.map { Child($0, day: sheet.day) }
            expectedCount = expected.count
            (hasExpected, hasAbsent) = (!expected.isEmpty, !absent.isEmpty)
            allergyCount = sheet.expected.filter { !$0.entry.allergies.isEmpty }.count
            paiCount = sheet.expected.filter(\.entry.hasPAI).count
            arrivedCount = sheet.expected.filter { $0.entry.tick.arrivedAt != nil }.count
        }
    }

    struct Child {
        let bookingId: Int
        let name: String
        let family: String
        let familyId: Int
        let level: String?
        let age: Int
        let allergies: String?
        let diet: String?
        let hasPai: Bool
        let mayLeaveAlone: Bool
        let unexpected: Bool
        let cancelRequested: Bool
        let absenceReason: String?
        let pickups: [Pickup]
        let guardians: [Guardian]
        let arrived: String?
        let left: String?
        let pickedUpBy: String?
        let noShow: Bool
        /// Which of the tablet's buttons apply.
        let mayArrive: Bool
        let mayLeave: Bool

        struct Pickup {
            let name: String
            let phone: String
            let relationship: String?
        }

        struct Guardian {
            let name: String
            let phones: [String]
        }

        init(_ child: AttendanceSheets.Child, day: LocalDate) {
            let e = child.entry
            (bookingId, name, family, familyId, level) = (e.bookingID, e.childName, e.familyName, e.familyID ?? 0, e.level)
            age = Eligibility.age(birthDate: e.birthDate, on: day)
            allergies = e.allergies.isEmpty ? nil : e.allergies
            diet = e.diet.isEmpty ? nil : e.diet
            (hasPai, mayLeaveAlone, unexpected) = (e.hasPAI, e.mayLeaveAlone, e.tick.unexpected)
            cancelRequested = e.status == .cancelRequested
            absenceReason = e.absenceReason
            pickups = child.pickups.map {
                Pickup(name: $0.name, phone: $0.phone, relationship: $0.relationship.isEmpty ? nil : $0.relationship)
            }
            guardians = child.guardians.map { Guardian(name: $0.name, phones: $0.phones) }
            arrived = e.tick.arrivedAt.map { ParisClock.time(of: $0).french }
            left = e.tick.leftAt.map { ParisClock.time(of: $0).french }
            (pickedUpBy, noShow) = (e.tick.pickedUpBy, e.tick.noShow)
            mayArrive = e.tick.arrivedAt == nil && !e.tick.noShow
            mayLeave = e.tick.arrivedAt != nil && e.tick.leftAt == nil
        }
    }
}
