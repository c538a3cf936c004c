import Foundation
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
        /// A validated date whose cancellation deadline has not passed.
        let cancellable: Bool
        /// A request or waiting line the family may take back.
        let withdrawable: Bool
        /// What else the date says: its rank on the waiting list, until when it can be
        /// cancelled, why it was refused.
        let note: String?
    }

    /// The legend's entries, in this order; only those the month shows are listed.
    static var legend: [(css: String, words: String)] {
        [
            ("validated", tr("common.valide")), ("requested", tr("MyCalendarPage.demande_a_valider")),
            ("waiting", tr("common.liste_d_attente")), ("basket", tr("common.dans_le_panier")),
            ("refused", tr("common.refuse")), ("absent", tr("MyCalendarPage.absent")),
        ]
    }

    init(
        layout: LayoutModel, month: MonthParameter, read: Calendars.FamilyMonth, now: Date = Date()
    ) {
        self.layout = layout
        let (children, bookings, basket, absences) = (read.children, read.bookings, read.basket, read.absences)
        var entriesByChild: [Int: [Entry]] = [:]
        for child in children {
            let booked = bookings.filter { $0.childID == child.id }.map { line -> Entry in
                let note = read.notes[line.id]
                if absences.contains(line.id) {
                    return Entry(
                        bookingID: line.id, day: line.day, activity: line.activityName, label: "absent", css: "absent",
                        cancellable: false, withdrawable: false, note: nil)
                }
                switch line.status {
                case .validated:
                    let deadline = note?.cancellation
                    let open = deadline?.isOpen(for: line.day, at: now) ?? false
                    let until = deadline.map { ParisTime.format($0.cutoff(for: line.day)) }
                    return Entry(
                        bookingID: line.id, day: line.day, activity: line.activityName, label: tr("common.validee"),
                        css: "validated", cancellable: open, withdrawable: false,
                        note: until.map {
                            open
                                ? tr("MyCalendarPage.annulable_jusqu_au_1", $0)
                                : tr("MyCalendarPage.plus_annulable_delai_passe_le", $0)
                        })
                case .waiting:
                    return Entry(
                        bookingID: line.id, day: line.day, activity: line.activityName,
                        label: tr("common.liste_d_attente"),
                        css: "waiting", cancellable: false, withdrawable: true,
                        note: note?.rank.map {
                            $0 == 1 ? tr("MyCalendarPage.1re_sur_la_liste_d") : tr("MyCalendarPage.1_e_sur_la_liste", $0)
                        })
                case .requested:
                    return Entry(
                        bookingID: line.id, day: line.day, activity: line.activityName,
                        label: tr("common.demandee_a_valider_par_l"),
                        css: "requested", cancellable: false, withdrawable: true, note: nil)
                default:
                    return Entry(
                        bookingID: line.id, day: line.day, activity: line.activityName, label: line.status.label,
                        css: BasketPages.css(line.status), cancellable: false, withdrawable: false, note: nil)
                }
            }
            let refused = read.refused.filter { $0.childID == child.id }.map {
                Entry(
                    bookingID: nil, day: $0.day, activity: $0.activityName, label: tr("common.refusee"), css: "refused",
                    cancellable: false, withdrawable: false, note: $0.refusalReason.map { "motif : \($0)" })
            }
            let inBasket = basket.filter { $0.childID == child.id }.map { line in
                Entry(
                    bookingID: nil, day: line.day, activity: line.activityName,
                    label: line.kind == .booking ? tr("common.dans_le_panier") : tr("MyCalendarPage.annulation_dans_le_panier"),
                    css: "basket",
                    cancellable: false, withdrawable: false, note: nil)
            }
            entriesByChild[child.id] = (booked + refused + inBasket).sorted { $0.day < $1.day }
        }
        let used = Set(entriesByChild.values.flatMap { $0.map(\.css) })
        var out = HTMLWriter()
        out.raw("<h1>Mon calendrier</h1>\n")
        if !used.isEmpty {
            out.raw("<p class=\"legend\">")
            for (css, words) in Self.legend where used.contains(css) {
                out.raw("<span class=\"cell ")
                out.text(css)
                out.raw("\">")
                out.text(words)
                out.raw("</span> ")
            }
            out.raw("</p>\n")
        }
        out.raw("<p class=\"month-nav\"><a href=\"/mon-calendrier?mois=")
        out.text(month.previous)
        out.raw("\" aria-label=\"")
        out.text(tr("common.mois_precedent"))
        out.raw("\">‹</a> <strong>")
        out.text(month.first.monthName)
        out.raw("</strong> <a href=\"/mon-calendrier?mois=")
        out.text(month.next)
        out.raw("\" aria-label=\"")
        out.text(tr("common.mois_suivant"))
        out.raw("\">›</a></p>\n<form method=\"post\" action=\"/panier/annuler\" class=\"form\">\n")
        out.raw("<input type=\"hidden\" name=\"_csrf\" value=\"")
        out.text(layout.csrf)
        out.raw("\">\n")
        var anyCancellable = false
        var anyWithdrawable = false
        for child in children {
            let entries = entriesByChild[child.id] ?? []
            anyCancellable = anyCancellable || entries.contains(where: \.cancellable)
            anyWithdrawable = anyWithdrawable || entries.contains(where: \.withdrawable)
            out.raw("<h2>")
            out.text("\(child.firstName) \(child.lastName)")
            out.raw("</h2>\n")
            out.raw(
                "<table class=\"month agenda\"><thead><tr>")
            for weekday in 1...7 {
                out.raw("<th>")
                out.text(tr("wizard_planning.weekday_\(weekday)"))
                out.raw("</th>")
            }
            out.raw("</tr></thead><tbody>\n")
            Self.grid(&out, month.first, entries)
            out.raw("\n</tbody></table>\n<ul class=\"bookings\">\n")
            Self.list(&out, entries)
            out.raw("\n</ul>\n")
            if entries.isEmpty {
                out.raw("<p class=\"small\">")
                out.text(tr("MyCalendarPage.no_booking_this_month"))
                out.raw("</p>\n")
            }
        }
        if anyCancellable || anyWithdrawable {
            out.raw("<p class=\"small\">")
            out.text(tr("MyCalendarPage.cancel_and_withdraw_help"))
            out.raw("</p>\n")
            out.raw("<p class=\"actions\">")
            if anyWithdrawable {
                out.raw("<button type=\"submit\" formaction=\"/mon-calendrier/retirer\">")
                out.text(tr("MyCalendarPage.withdraw_ticked"))
                out.raw("</button> ")
            }
            if anyCancellable {
                out.raw("<button type=\"submit\" class=\"primary\">")
                out.text(tr("MyCalendarPage.cancel_ticked"))
                out.raw("</button>")
            }
            out.raw("</p>\n")
        }
        out.raw("</form>\n")
        body = out.html
    }

    private static func grid(_ out: inout HTMLWriter, _ month: LocalDate, _ entries: [Entry]) {
        let byDay = Dictionary(grouping: entries, by: \.day)
        MonthGridView.rows(into: &out, first: month) { out, date in
            // The day's cell takes its first booking's colour (the manual's blue cell for a
            // validated date); a second activity that day adds its mark.
            if let first = byDay[date]?.first {
                out.raw("<td class=\"")
                out.text(first.css)
                out.raw("\"><span class=\"daynum\">")
            } else {
                out.raw("<td><span class=\"daynum\">")
            }
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
            if let note = entry.note {
                out.raw(" <span class=\"small\">(")
                out.text(note)
                out.raw(")</span>")
            }
            if entry.cancellable, let id = entry.bookingID {
                out.raw(" <label class=\"choice\"><input type=\"checkbox\" name=\"reservations\" value=\"")
                out.text(id)
                out.raw("\"> annuler</label>")
            }
            if entry.withdrawable, let id = entry.bookingID {
                out.raw(" <label class=\"choice\"><input type=\"checkbox\" name=\"retraits\" value=\"")
                out.text(id)
                out.raw("\"> retirer</label>")
            }
            out.raw("</li>")
        }
    }
}

extension MyCalendarPage: TemplateModel {
    static let fields: [String: any PartialKeyPath<MyCalendarPage> & Sendable] = ["layout": \.layout, "body": \.body]
}
