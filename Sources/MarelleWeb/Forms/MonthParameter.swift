import Foundation
import Hummingbird
import MarelleCore

/// The month a calendar page shows: `?mois=YYYY-MM`, this month (in Paris) when absent or
/// unreadable; and the links to the months before and after.
struct MonthParameter {
    /// The month's first day.
    let first: LocalDate

    init(_ request: Request) {
        first =
            (request.uri.queryParameters.get("mois").flatMap { Month(iso: $0) } ?? Month(of: ParisClock.date(of: Date()))).first
    }

    /// `mois` of the month before and of the month after.
    var previous: String { Month(of: first).previous.iso }
    var next: String { Month(of: first).next.iso }
}
