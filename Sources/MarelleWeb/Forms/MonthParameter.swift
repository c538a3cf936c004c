import Foundation
import Hummingbird
import MarelleCore

/// The month a calendar page shows: `?mois=YYYY-MM`, this month (in Paris) when absent or
/// unreadable; and the links to the months before and after.
struct MonthParameter {
    /// The month's first day.
    let first: LocalDate

    init(_ request: Request) {
        let today = ParisClock.date(of: Date())
        first =
            request.uri.queryParameters.get("mois").flatMap { LocalDate(iso: $0 + "-01") }
            ?? LocalDate(year: today.year, month: today.month, day: 1)!
    }

    /// `mois` of the month before and of the month after.
    var previous: String { first.adding(days: -1).isoMonth }
    var next: String { first.adding(days: 32).isoMonth }
}
