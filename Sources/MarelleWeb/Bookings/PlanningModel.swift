import Foundation
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// Step 3's page: for each chosen child and activity, the month as a grid of weeks whose free
/// (white) cells can be ticked (green); days in the basket or booked show their state, the
/// others are grey with their reason. Below, the same by period: weeks and weekdays.
struct PlanningModel {
    let choices: [(child: Int, activity: Int)]
    let month: LocalDate
    let period: Int?

    func build(
        _ loaded: Calendars.Planning, layout: LayoutModel, query: String, choiceValues: [String], previous: String, next: String
    ) -> PlanningPage {
        let (children, basket, booked, months) = (loaded.children, loaded.basket, loaded.booked, loaded.months)
        var calendars: [PlanningPage.Calendar] = []
        var periodIDs: Set<Int> = []
        for choice in choices {
            guard let child = children[choice.child], let activity = months[choice.child]?[choice.activity] else { continue }
            periodIDs.formUnion(activity.activity.periodIDs)
            let states = Dictionary(activity.days.map { ($0.date, $0.availability) }) { first, _ in first }
            let inBasket = Set(
                basket.filter { $0.childID == child.id && $0.activityID == choice.activity && $0.kind == .booking }.map(\.day))
            let bookedDays = Dictionary(
                booked.filter { $0.childID == child.id && $0.activityID == choice.activity }.map { ($0.day, $0) }
            ) { first, _ in first }
            let grid = MonthGridView.rows(first: month) { out, date in
                guard let state = states[date] else {
                    out.raw("<td></td>")
                    return
                }
                let booking = bookedDays[date]
                let isInBasket = inBasket.contains(date)
                let css: String, label: String
                if let booking {
                    css = booking.status == .validated ? "validated" : "waiting"
                    label = booking.status.french
                } else if isInBasket {
                    (css, label) = ("basket", "dans le panier")
                } else {
                    css = state.isBookable ? "free" : (state == .full ? "full" : "closed")
                    label = state.french
                }
                Self.cell(
                    &out, date: date, css: css, label: label, value: "\(child.id)-\(choice.activity)-\(date.iso)",
                    tickable: booking == nil && !isInBasket && (state.isBookable || state == .full))
            }
            calendars.append(.init(title: "\(child.firstName) · \(activity.activity.draft.name)", grid: grid))
        }
        let periods = loaded.periods.filter { periodIDs.contains($0.id) }
        var weeks: [PlanningPage.Option] = []
        var periodName: String?
        if let chosen = periods.first(where: { $0.id == period }) {
            var monday = chosen.days.first
            while monday.weekday != 1 { monday = monday.adding(days: -1) }
            while monday <= chosen.days.last {
                weeks.append(.init(value: monday.iso, label: "semaine du \(monday.french)"))
                monday = monday.adding(days: 7)
            }
            periodName = chosen.name
        }
        return PlanningPage(
            layout: layout, steps: WizardPages.steps(3), query: query, choiceValues: choiceValues, previous: previous, next: next,
            monthName: Self.monthName(month), calendars: calendars,
            weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"].enumerated().map {
                .init(value: String($0.offset + 1), label: $0.element)
            },
            periods: periods.map { .init(id: $0.id, name: $0.name, selected: $0.id == period) }, periodWeeks: weeks,
            periodName: periodName)
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
        let names = [
            "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
            "décembre",
        ]
        return "\(names[d.month - 1]) \(d.year)"
    }
}
