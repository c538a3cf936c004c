import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// "Mon calendrier": each child's month, its grid of coloured marks (a 360 px screen has no
/// room for names) and, under it, the list that names each date, with the box that cancels a
/// validated one. The page's body is drawn here (`HTMLWriter`): it is the page parents read
/// most, and Mustache's run-time look-ups cost more than the rest of the request (`make
/// bench`); the layout around it is still `layout.mustache`, through `my_calendar.mustache`.
struct MyCalendarPage {
    let layout: LayoutModel
    /// The page's body, already escaped.
    let body: String

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
        layout: LayoutModel, month: MonthParameter, children: [ChildStore.Child], bookings: [BookingDecisions.LiveDay],
        basket: [BasketStore.Line], absences: Set<Int>
    ) {
        self.layout = layout
        var out = HTMLWriter()
        out.raw("<h1>Mon calendrier</h1>\n")
        out.raw(
            "<p class=\"legend\"><span class=\"cell validated\">validé</span> <span class=\"cell waiting\">en attente de validation</span> <span class=\"cell basket\">dans le panier</span> <span class=\"cell free\">libre</span> <span class=\"cell closed\">complet ou fermé</span> <span class=\"cell absent\">absent</span></p>\n"
        )
        out.raw("<p class=\"month-nav\"><a href=\"/mon-calendrier?mois=")
        out.text(month.previous)
        out.raw("\" aria-label=\"Mois précédent\">‹</a> <strong>")
        out.text(PlanningModel.monthName(month.first))
        out.raw("</strong> <a href=\"/mon-calendrier?mois=")
        out.text(month.next)
        out.raw("\" aria-label=\"Mois suivant\">›</a></p>\n<form method=\"post\" action=\"/panier/annuler\" class=\"form\">\n")
        out.raw("<input type=\"hidden\" name=\"_csrf\" value=\"")
        out.text(layout.csrf)
        out.raw("\">\n")
        for child in children {
            let booked = bookings.filter { $0.childID == child.id }.map { line in
                absences.contains(line.id)
                    ? Entry(
                        bookingID: line.id, day: line.day, activity: line.activityName, label: "absent", css: "absent",
                        cancellable: false)
                    : Entry(
                        bookingID: line.id, day: line.day, activity: line.activityName, label: line.status.french,
                        css: BasketPages.css(line.status), cancellable: line.status == .validated)
            }
            let inBasket = basket.filter { $0.childID == child.id }.map { line in
                Entry(
                    bookingID: nil, day: line.day, activity: line.activityName,
                    label: line.kind == .booking ? "dans le panier" : "annulation dans le panier", css: "basket",
                    cancellable: false)
            }
            let entries = booked + inBasket
            out.raw("<h2>")
            out.text("\(child.firstName) \(child.lastName)")
            out.raw("</h2>\n")
            out.raw(
                "<table class=\"month agenda\"><thead><tr><th>L</th><th>M</th><th>M</th><th>J</th><th>V</th><th>S</th><th>D</th></tr></thead><tbody>\n"
            )
            Self.grid(&out, month.first, entries)
            out.raw("\n</tbody></table>\n<ul class=\"bookings\">\n")
            Self.list(&out, entries)
            out.raw("\n</ul>\n")
            if entries.isEmpty { out.raw("<p class=\"small\">Aucune réservation ce mois-ci.</p>\n") }
        }
        out.raw(
            "<p class=\"small\">Cochez « annuler » sur une date validée : une ligne « - annulation » va dans le panier, à valider avec « Valider ».</p>\n"
        )
        out.raw(
            "<p class=\"actions\"><button type=\"submit\" class=\"primary\">Annuler les dates cochées</button></p>\n</form>\n")
        body = out.html
    }

    private static func grid(_ out: inout HTMLWriter, _ month: LocalDate, _ entries: [Entry]) {
        let byDay = Dictionary(grouping: entries, by: \.day)
        MonthGridView.rows(into: &out, first: month) { out, date in
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

    private static func list(_ out: inout HTMLWriter, _ entries: [Entry]) {
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
    }
}

extension MyCalendarPage: TemplateModel {
    static let fields: [String: any PartialKeyPath<MyCalendarPage> & Sendable] = ["layout": \.layout, "body": \.body]
}
