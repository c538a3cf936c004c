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
        var runningWeekdays: Set<Int> = []
        for choice in choices {
            guard let child = children[choice.child], let activity = months[choice.child]?[choice.activity] else { continue }
            periodIDs.formUnion(activity.activity.periodIDs)
            runningWeekdays.formUnion(activity.activity.draft.weekdays)
            let states = Dictionary(activity.days.map { ($0.date, $0.availability) }) { first, _ in first }
            let inBasket = Set(
                basket.filter { $0.childID == child.id && $0.activityID == choice.activity && $0.kind == .booking }.map(\.day))
            let bookedDays = Dictionary(
                booked.filter { $0.childID == child.id && $0.activityID == choice.activity }.map { ($0.day, $0) }
            ) { first, _ in first }
            let closures = loaded.closures.filter { $0.activityID == nil || $0.activityID == choice.activity }
            let grid = MonthGridView.rows(first: month) { out, date in
                guard let state = states[date] else {
                    out.raw("<td></td>")
                    return
                }
                let isInBasket = inBasket.contains(date)
                let word = DayWord(
                    state: state, booking: bookedDays[date]?.status, inBasket: isInBasket,
                    closure: closures.first { $0.days.contains(date) }?.reason)
                Self.cell(
                    &out, date: date, word: word, value: "\(child.id)-\(choice.activity)-\(date.iso)",
                    tickable: bookedDays[date] == nil && !isInBasket && (state.isBookable || state == .full))
            }
            let notes = closures.map { closure in
                let days =
                    closure.days.first == closure.days.last
                    ? tr("PlanningModel.le_1", closure.days.first.french)
                    : tr("common.du_1_au_2", closure.days.first.french, closure.days.last.french)
                return tr("PlanningModel.ferme_1", days) + (closure.reason.isEmpty ? "." : " : \(closure.reason).")
            }
            calendars.append(.init(title: "\(child.firstName) · \(activity.activity.draft.name)", grid: grid, closures: notes))
        }
        let periods = loaded.periods.filter { periodIDs.contains($0.id) }
        var weeks: [PlanningPage.Option] = []
        var periodName: String?
        if let chosen = periods.first(where: { $0.id == period }) {
            var monday = chosen.days.first
            while monday.weekday != 1 { monday = monday.adding(days: -1) }
            // Only the weeks still to come.
            let today = ParisClock.date(of: Date())
            while monday <= chosen.days.last {
                if monday.adding(days: 6) >= today {
                    weeks.append(.init(value: monday.iso, label: tr("PlanningModel.semaine_du_1", monday.french)))
                }
                monday = monday.adding(days: 7)
            }
            periodName = chosen.name
        }
        return PlanningPage(
            layout: layout, steps: WizardPages.steps(3), query: query, choiceValues: choiceValues, previous: previous, next: next,
            monthName: month.monthName, calendars: calendars,
            // The weekdays the chosen activities run on, no others.
            weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"].enumerated()
                .filter { runningWeekdays.contains($0.offset + 1) }
                .map { .init(value: String($0.offset + 1), label: $0.element) },
            allWeeks: weeks.map(\.value).joined(separator: ","),
            periods: periods.map { .init(id: $0.id, name: $0.name, selected: $0.id == period) }, periodWeeks: weeks,
            periodName: periodName)
    }

    /// One day of step 3's grid: its number, its state in a word (readable without hover on a
    /// phone), and a box to tick when the day may be asked for (the box's name says the state).
    static func cell(_ out: inout HTMLWriter, date: LocalDate, word: DayWord, value: String, tickable: Bool) {
        out.raw("<td class=\"")
        out.text(word.css)
        out.raw("\" title=\"")
        out.text(word.label)
        out.raw("\">")
        if tickable {
            out.raw("<label><input type=\"checkbox\" name=\"jours\" value=\"")
            out.text(value)
            out.raw("\" aria-label=\"")
            out.text(date.iso)
            out.raw(" ")
            out.text(word.label)
            out.raw("\"><span>")
            out.text(date.day)
            out.raw("</span>")
            word.write(&out)
            out.raw("</label>")
        } else {
            out.raw("<span>")
            out.text(date.day)
            out.raw("</span>")
            word.write(&out)
        }
        out.raw("</td>")
    }

}
