import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// "Exports" (`/gestion/exports`): the four CSV files for a period (and an activity), the
/// CAF hours for a month; and `/api/v1/exports/{kind}[.csv]`, the same as CSV or JSON. Any
/// staff member: the data is the one their pages already show.
struct ExportPages {
    let exports: Exports
    let activities: ActivityManagement
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion/exports") { request, context in try await page(request, context) }
        for kind in ExportData.Kind.allCases {
            router.get("/gestion/exports/\(kind.rawValue).csv") { request, context in
                let tenant = try context.requireTenant()
                _ = try context.requireStaff(request)
                switch try await ExportData.read(
                    kind, exports: exports, tenant: tenant, query: { request.uri.queryParameters.get($0) })
                {
                case .success(let (data, suffix)): return data.download(kind, suffix: suffix)
                case .failure(let problems):
                    return try await page(
                        request, context, error: problems.problems.map(\.message).joined(separator: " "),
                        status: .unprocessableContent)
                }
            }
        }
    }

    func registerAPI(on api: RouterGroup<AppRequestContext>) {
        for kind in ExportData.Kind.allCases {
            for csv in [true, false] {
                api.get("/exports/\(kind.rawValue)\(csv ? ".csv" : "")") { request, context in
                    let tenant = try context.requireTenant()
                    _ = try context.requireAPIStaff(writing: false)
                    switch try await ExportData.read(
                        kind, exports: exports, tenant: tenant, query: { request.uri.queryParameters.get($0) })
                    {
                    case .success(let (data, suffix)):
                        return csv ? data.download(kind, suffix: suffix) : try data.json(from: request, context: context)
                    case .failure(let problems): throw Problem.invalid(problems.problems)
                    }
                }
            }
        }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request)
        let today = ParisClock.date(of: Date())
        let first = LocalDate(year: today.year, month: today.month, day: 1)!
        let query = request.uri.queryParameters
        let activity = query.get("activity", as: Int.self)
        let list = try await activities.activities(tenant: tenant)
        let model = ExportPage(
            layout: LayoutModel(tenant: tenant, title: tr("ExportPages.exports"), context: context),
            from: query.get("from") ?? first.iso,
            to: query.get("to") ?? first.adding(days: LocalDate.daysIn(month: first.month, year: first.year) - 1).iso,
            month: query.get("month") ?? first.isoMonth,
            activities: list.map { .init(id: $0.id, name: $0.draft.name, selected: $0.id == activity) }, error: error)
        return try HTML(status: status, body: renderer.render("staff_exports", model), personal: true).response(
            from: request, context: context)
    }
}

/// `staff_exports.mustache`.
struct ExportPage {
    let layout: LayoutModel
    let from: String
    let to: String
    let month: String
    let activities: [Choice]
    let error: String?
}
