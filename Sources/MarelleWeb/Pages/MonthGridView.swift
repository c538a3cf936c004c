import MarelleApp
import MarelleCore
import MarelleRendering

/// The rows of a month table (Monday first, blank cells before the first day and after the
/// last), each day's cell drawn by the page that owns the grid.
enum MonthGridView {
    static func rows(first: LocalDate, _ cell: (inout HTMLWriter, LocalDate) -> Void) -> String {
        var out = HTMLWriter()
        rows(into: &out, first: first, cell)
        return out.html
    }

    static func rows(into out: inout HTMLWriter, first: LocalDate, _ cell: (inout HTMLWriter, LocalDate) -> Void) {
        let days = LocalDate.daysIn(month: first.month, year: first.year)
        let leading = first.weekday - 1
        let total = ((leading + days + 6) / 7) * 7
        for index in 0..<total {
            if index % 7 == 0 { out.raw("<tr>") }
            let offset = index - leading
            if offset < 0 || offset >= days {
                out.raw("<td></td>")
            } else {
                cell(&out, first.adding(days: offset))
            }
            if index % 7 == 6 { out.raw("</tr>") }
        }
    }
}
