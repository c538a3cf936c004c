import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// "À traiter": requests and cancellations, oldest first, filtered by activity and date;
/// validate or refuse the ticked lines (a whole submission is one click: "tout cocher").
struct StaffQueuePage {
    let useCases: UseCases
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let service: BookingService

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion/a-traiter") { request, context in try await page(request, context) }
        router.post("/gestion/a-traiter") { request, context in try await decide(request, context) }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request)
        let activity = request.uri.queryParameters.get("activite", as: Int.self)
        let day = request.uri.queryParameters.get("jour").flatMap { LocalDate(iso: $0) }
        let submission = request.uri.queryParameters.get("demande", as: Int.self)
        let all = request.uri.queryParameters.get("tout") != nil
        let (lines, activities) = try await useCases.basket.queuePage(tenant: tenant, activityID: activity, day: day)
        let model = Model(
            layout: LayoutModel(tenant: tenant, title: tr("StaffQueuePage.a_traiter"), context: context),
            canWrite: staff.role.mayManage(writing: true),
            day: day?.iso ?? "", count: lines.count,
            activities: activities.map { .init(id: $0.id, name: $0.draft.name, selected: $0.id == activity) },
            lines: lines.map { l in
                .init(
                    id: l.id, family: l.familyName, familyId: l.familyID ?? 0, child: l.childName, activity: l.activityName,
                    day: l.day.french,
                    kind: (l.status == .cancelRequested ? BasketKind.cancellation : .booking).label,
                    price: Money(cents: l.priceCents).description,
                    requestedAt: ParisTime.format(l.requestedAt), submission: l.submissionID ?? 0,
                    checked: all || (submission != nil && l.submissionID == submission))
            },
            error: error, notice: notice)
        return try HTML(status: status, body: renderer.render("staff_queue", model), personal: true).response(
            from: request, context: context)
    }

    func decide(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let ids = form.all("lignes").compactMap { Int($0) }
        let decision = form.text("decision")
        guard !ids.isEmpty, ["validate", "refuse"].contains(decision) else {
            return try await page(
                request, context, error: tr("StaffQueuePage.cochez_au_moins_une_ligne"),
                status: .unprocessableContent)
        }
        let reason = form.text("motif")
        if let problem = BookingService.reasonProblem(validate: decision == "validate", reason: reason) {
            return try await page(request, context, error: problem, status: .unprocessableContent)
        }
        let decisions = try await service.decide(
            tenant: tenant, staff: staff, ids: ids, validate: decision == "validate",
            reason: reason.isEmpty ? nil : reason, ip: context.remoteIP)
        let promoted = decisions.flatMap(\.promoted).count
        return try await page(
            request, context,
            notice: tr("StaffQueuePage.1_ligne_s_traitee_s", decisions.count)
                + (promoted > 0 ? tr("StaffQueuePage.1_place_s_attribuee_s", promoted) : "."))
    }

    /// `staff_queue.mustache`: the lines waiting for a decision, filtered by activity or day.
    struct Model {
        let layout: LayoutModel
        let canWrite: Bool
        let day: String
        let count: Int
        let activities: [Choice]
        let lines: [Line]
        let error: String?
        let notice: String?
    }

    struct Line {
        let id: Int
        let family: String
        let familyId: Int
        let child: String
        let activity: String
        let day: String
        /// "+ inscription" or "- annulation".
        let kind: String
        let price: String
        let requestedAt: String
        let submission: Int
        let checked: Bool
    }
}
