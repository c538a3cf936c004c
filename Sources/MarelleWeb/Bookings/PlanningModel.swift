import Foundation
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Step 3's page: for each chosen child and activity, the month as a grid of weeks whose free
/// (white) cells can be ticked (green); days in the basket or booked show their state, the
/// others are grey with their reason. Below, the same by period: weeks and weekdays.
struct PlanningModel {
    let familyID: Int
    let choices: [(child: Int, activity: Int)]
    let month: LocalDate
    let period: Int?

    /// What the page shows, read in one transaction.
    struct Loaded: Sendable {
        let children: [Int: FamilyFileStore.Child]
        let basket: [BasketStore.Line]
        let booked: [BookingDecisions.Line]
        let months: [Int: [Int: CalendarStore.ActivityMonth]]
        let periods: [PeriodStore.Period]
    }

    func load(_ tx: Session) throws -> Loaded {
        let children = Dictionary(uniqueKeysWithValues: try FamilyFileStore().children(tx, familyID: familyID).map { ($0.id, $0) })
        let quotient = try ChildStore().quotient(tx, familyID: familyID)
        let last = month.adding(days: LocalDate.daysIn(month: month.month, year: month.year) - 1)
        let basket = try BasketStore().lines(tx, familyID: familyID)
        let booked = try BookingDecisions().bookings(tx, familyID: familyID, from: month, to: last)
        // One calendar read per child, for all the activities chosen for it.
        var months: [Int: [Int: CalendarStore.ActivityMonth]] = [:]
        for childID in Set(choices.map(\.child)) {
            guard let child = children[childID], let birth = child.draft.birthDate else { continue }
            let read = try CalendarStore().month(
                tx, year: month.year, month: month.month, child: .init(level: child.draft.level, birthDate: birth), quotient: quotient, now: Date(),
                activityIDs: choices.filter { $0.child == childID }.map(\.activity))
            months[childID] = Dictionary(read.map { ($0.activity.id, $0) }) { first, _ in first }
        }
        return Loaded(children: children, basket: basket, booked: booked, months: months, periods: try PeriodStore().list(tx))
    }

    func build(_ loaded: Loaded) -> [String: Any] {
        let (children, basket, booked, months) = (loaded.children, loaded.basket, loaded.booked, loaded.months)
        var calendars: [[String: Any]] = []
        var periodIDs: Set<Int> = []
        for choice in choices {
            guard let child = children[choice.child], let activity = months[choice.child]?[choice.activity] else { continue }
            periodIDs.formUnion(activity.activity.periodIDs)
            let states = Dictionary(activity.days.map { ($0.date, $0.availability) }) { first, _ in first }
            let grid = MonthGridView.rows(first: month) { out, date in
                guard let state = states[date] else {
                    out.raw("<td></td>")
                    return
                }
                let inBasket = basket.contains { $0.childID == child.id && $0.activityID == choice.activity && $0.day == date && $0.kind == .booking }
                let booking = booked.first { $0.activityID == choice.activity && $0.day == date && BookingStatus.live.contains($0.status) && $0.childID == child.id }
                let css: String, label: String
                if let booking {
                    css = booking.status == .validated ? "validated" : "waiting"
                    label = booking.status.french
                } else if inBasket {
                    (css, label) = ("basket", "dans le panier")
                } else {
                    css = state.isBookable ? "free" : (state == .full ? "full" : "closed")
                    label = state.french
                }
                Self.cell(&out, date: date, css: css, label: label, value: "\(child.id)-\(choice.activity)-\(date.iso)",
                          tickable: booking == nil && !inBasket && (state.isBookable || state == .full))
            }
            calendars.append([
                "title": "\(child.draft.firstName) · \(activity.activity.draft.name)",
                "grid": grid,
            ])
        }
        var model: [String: Any] = [
            "calendars": calendars, "monthName": Self.monthName(month),
            "weekdays": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"].enumerated().map { ["value": $0.offset + 1, "label": $0.element] },
        ]
        let periods = loaded.periods.filter { periodIDs.contains($0.id) }
        model["periods"] = periods.map { ["id": $0.id, "name": $0.name, "selected": $0.id == period] as [String: Any] }
        model["periodWeeks"] = [[String: Any]]()
        if let chosen = periods.first(where: { $0.id == period }) {
            var monday = chosen.days.first
            while monday.weekday != 1 { monday = monday.adding(days: -1) }
            var weeks: [[String: Any]] = []
            while monday <= chosen.days.last {
                weeks.append(["value": monday.iso, "label": "semaine du \(monday.french)"])
                monday = monday.adding(days: 7)
            }
            model["periodWeeks"] = weeks
            model["periodName"] = chosen.name
        }
        return model
    }

    /// One day of step 3's grid: a box to tick when the day may be asked for.
    static func cell(_ out: inout HTMLWriter, date: LocalDate, css: String, label: String, value: String, tickable: Bool) {
        out.raw("<td class=\"")
        out.text(css)
        out.raw("\" title=\"")
        out.text(label)
        out.raw("\">")
        if tickable {
            out.raw("<label><input type=\"checkbox\" name=\"jours\" value=\"")
            out.text(value)
            out.raw("\" aria-label=\"")
            out.text(date.iso)
            out.raw(" ")
            out.text(label)
            out.raw("\"><span>")
            out.text(date.day)
            out.raw("</span></label>")
        } else {
            out.raw("<span>")
            out.text(date.day)
            out.raw("</span>")
        }
        out.raw("</td>")
    }

    static func monthName(_ d: LocalDate) -> String {
        let names = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        return "\(names[d.month - 1]) \(d.year)"
    }

    /// Of `days`, those on which the child may be booked for the activity (free or full: the
    /// submission decides between a place and the waiting list).
    static func runningDays(_ tx: Session, familyID: Int, childID: Int, activityID: Int, days: [LocalDate]) throws -> [LocalDate] {
        guard let child = try FamilyFileStore().child(tx, id: childID, familyID: familyID), let birth = child.draft.birthDate else { return [] }
        let quotient = try ChildStore().quotient(tx, familyID: familyID)
        var result: [LocalDate] = []
        let months = Set(days.map { $0.year * 100 + $0.month })
        for key in months.sorted() {
            guard let month = try CalendarStore().month(
                tx, year: key / 100, month: key % 100, child: .init(level: child.draft.level, birthDate: birth), quotient: quotient, now: Date(),
                activityIDs: [activityID]).first
            else { continue }
            let wanted = Set(days)
            result += month.days.filter { wanted.contains($0.date) && ($0.availability.isBookable || $0.availability == .full) }.map(\.date)
        }
        return result
    }
}
