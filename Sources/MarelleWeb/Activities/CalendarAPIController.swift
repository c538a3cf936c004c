import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// `GET /api/v1/children/{id}/calendar?month=YYYY-MM`: for each open activity, the state of
/// every day of the month for that child (what the planning page shows). A parent may ask for
/// the children of their own family; staff for any child of the association. The token is
/// checked in the use case's first round trip (behind the deferred `BearerMiddleware`).
struct CalendarAPIController {
    let calendars: Calendars

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/children/:id/calendar") { request, context in try await month(request, context) }
    }

    func month(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ChildMonthBody> {
        guard let caller = context.caller else { throw Problem.unauthorized() }
        let notFound = Problem(
            status: .notFound, title: tr("common.introuvable"),
            detail: tr("CalendarAPIController.aucun_enfant_de_votre_famille"))
        guard let id = context.parameters.get("id", as: Int.self) else { throw notFound }
        let today = ParisClock.date(of: Date())
        var year = today.year
        var month = today.month
        if let text = request.uri.queryParameters["month"] {
            let parts = text.split(separator: "-")
            guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (2000...2100).contains(y), (1...12).contains(m)
            else {
                throw Problem.badRequest(tr("CalendarAPIController.le_mois_s_ecrit_aaaa"))
            }
            year = y
            month = m
        }
        let result = try await calendars.childMonth(
            tenant: try context.requireTenant(), caller: caller, childID: id, year: year, month: month)
        guard let result else { throw notFound }
        return JSONReply(
            ChildMonthBody(childID: id, month: LocalDate(year: year, month: month, day: 1)?.isoMonth ?? "", activities: result))
    }
}
