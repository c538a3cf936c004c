import MarelleApp
import MarelleCore
import MarelleStore

/// "Mon calendrier": each child's month, its grid of coloured marks (a 360 px screen has no
/// room for names) and, under it, the list that names each date, with the box that cancels a
/// validated one. The grid and the list are drawn here (`HTMLWriter`); the rest of the page is
/// `my_calendar.mustache`.
struct MyCalendarPage {
    let layout: LayoutModel
    let monthName: String
    let previous: String
    let next: String
    let calendars: [ChildMonth]

    struct ChildMonth {
        let name: String
        /// The table's rows, already escaped.
        let grid: String
        /// The list's items, already escaped.
        let list: String
        let isEmpty: Bool
    }

    /// One mark of the grid and one line of the list.
    struct Entry {
        let bookingID: Int?
        let day: LocalDate
        let activity: String
        let label: String
        let css: String
        let cancellable: Bool
    }

    init(
        layout: LayoutModel, month: LocalDate, children: [FamilyFileStore.Child], bookings: [BookingDecisions.Line],
        basket: [BasketStore.Line], absences: Set<Int>
    ) {
        self.layout = layout
        monthName = PlanningModel.monthName(month)
        previous = "/mon-calendrier?mois=\(WizardPages.monthText(month.adding(days: -1)))"
        next = "/mon-calendrier?mois=\(WizardPages.monthText(month.adding(days: 32)))"
        calendars = children.map { child in
            let booked = bookings.filter { $0.childID == child.id && $0.status != .refused && $0.status != .cancelled }.map { line in
                absences.contains(line.id)
                    ? Entry(bookingID: line.id, day: line.day, activity: line.activityName, label: "absent", css: "absent", cancellable: false)
                    : Entry(
                        bookingID: line.id, day: line.day, activity: line.activityName, label: line.status.french,
                        css: BasketPages.css(line.status), cancellable: line.status == .validated)
            }
            let inBasket = basket.filter { $0.childID == child.id }.map { line in
                Entry(
                    bookingID: nil, day: line.day, activity: line.activityName,
                    label: line.kind == .booking ? "dans le panier" : "annulation dans le panier", css: "basket", cancellable: false)
            }
            let entries = booked + inBasket
            return ChildMonth(
                name: "\(child.draft.firstName) \(child.draft.lastName)", grid: Self.grid(month, entries), list: Self.list(entries),
                isEmpty: entries.isEmpty)
        }
    }

    private static func grid(_ month: LocalDate, _ entries: [Entry]) -> String {
        let byDay = Dictionary(grouping: entries, by: \.day)
        return MonthGridView.rows(first: month) { out, date in
            out.raw("<td><span class=\"daynum\">")
            out.text(date.day)
            out.raw("</span>")
            for entry in byDay[date] ?? [] {
                out.raw("<span class=\"mark ")
                out.text(entry.css)
                out.raw("\" title=\"")
                out.text(entry.activity)
                out.raw(" : ")
                out.text(entry.label)
                out.raw("\"></span>")
            }
            out.raw("</td>")
        }
    }

    private static func list(_ entries: [Entry]) -> String {
        var out = HTMLWriter()
        for entry in entries {
            out.raw("<li><span class=\"entry ")
            out.text(entry.css)
            out.raw("\" aria-hidden=\"true\"></span> ")
            out.text(entry.day.french)
            out.raw(" · ")
            out.text(entry.activity)
            out.raw(" · ")
            out.text(entry.label)
            if entry.cancellable, let id = entry.bookingID {
                out.raw(" <label class=\"choice\"><input type=\"checkbox\" name=\"reservations\" value=\"")
                out.text(id)
                out.raw("\"> annuler</label>")
            }
            out.raw("</li>")
        }
        return out.html
    }
}
