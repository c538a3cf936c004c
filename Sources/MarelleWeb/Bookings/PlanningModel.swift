import Foundation
import MarelleApp
import MarelleCore
import MarelleStore

/// Step 3's page: for each chosen child and activity, the month as a grid of weeks whose free
/// (white) cells can be ticked (green); days in the basket or booked show their state, the
/// others are grey with their reason. Below, the same by period: weeks and weekdays.
struct PlanningModel {
    let familyID: Int
    let choices: [(child: Int, activity: Int)]
    let month: LocalDate
    let period: Int?

    func build(_ loaded: Calendars.Planning) -> [String: Any] {
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
}
