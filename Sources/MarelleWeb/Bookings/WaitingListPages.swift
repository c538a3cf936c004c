import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// "Listes d'attente" (`/gestion/attente`) and `/api/v1/waiting-list`: per activity and date,
/// in the order free places go to them, with when each line was submitted. The direction
/// offers a place by hand (validated, above capacity if need be) or removes a line; the
/// family gets the decision's e-mail either way.
struct WaitingListPages {
    let service: BookingService
    let renderer: PageRenderer
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion/attente") { request, context in try await page(request, context) }
        router.post("/gestion/attente/{booking}/place") { request, context in
            let (tenant, staff, _) = try await StaffPost.read(request, context, csrf: csrf).parts
            let id = try StaffPost.id(context, "booking")
            do {
                let line = try await service.offerPlace(tenant: tenant, staff: staff, bookingID: id, ip: context.remoteIP)
                return try await page(
                    request, context,
                    notice:
                        tr("WaitingListPages.place_attribuee_a_1_2", line.childName, line.activityName, line.day.french)
                )
            } catch BookingService.WaitingFailure.notWaiting {
                return try await page(request, context, error: Self.gone, status: .conflict)
            }
        }
        router.post("/gestion/attente/{booking}/retrait") { request, context in
            let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
            let id = try StaffPost.id(context, "booking")
            let reason = form.text("motif")
            if let problem = Self.reasonProblem(reason) {
                return try await page(request, context, error: problem, status: .unprocessableContent)
            }
            do {
                try await service.removeFromWaitingList(
                    tenant: tenant, staff: staff, bookingID: id, reason: reason, ip: context.remoteIP)
                return try await page(request, context, notice: tr("WaitingListPages.ligne_retiree_de_la_liste"))
            } catch BookingService.WaitingFailure.notWaiting {
                return try await page(request, context, error: Self.gone, status: .conflict)
            }
        }
    }

    func registerAPI(on api: RouterGroup<AppRequestContext>) {
        api.get("/waiting-list") { request, context in
            let tenant = try context.requireTenant()
            _ = try context.requireAPIStaff(writing: false)
            let query = request.uri.queryParameters
            var problems: [FieldProblem] = []
            let activity = query.get("activity").map { Int($0) }
            if case .some(.none) = activity {
                problems.append(FieldProblem(field: "activity", message: tr("common.le_numero_d_activite_est")))
            }
            let day = query.get("day").map { LocalDate(iso: $0) }
            if case .some(.none) = day {
                problems.append(FieldProblem(field: "day", message: tr("common.la_date_se_donne_sous")))
            }
            if !problems.isEmpty { throw Problem.invalid(problems) }
            let (lines, _) = try await service.waitingList(
                tenant: tenant, activityID: activity ?? nil, day: day ?? nil, today: ParisClock.date(of: Date()))
            return JSONReply(lines.map(WaitingLineBody.init))
        }
        api.post("/waiting-list/{id}/offer") { _, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            do {
                let line = try await service.offerPlace(
                    tenant: tenant, staff: staff, bookingID: try context.requirePathID(), ip: context.remoteIP)
                return JSONReply(BookingBody(line))
            } catch BookingService.WaitingFailure.notWaiting {
                throw Problem.notFound
            }
        }
        api.post("/waiting-list/{id}/removal") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let id = try context.requirePathID()
            let input = try await JSONBody.decode(request, as: RemovalInput.self)
            if let problem = Self.reasonProblem(input.reason ?? "") {
                throw Problem.invalid([FieldProblem(field: "reason", message: problem)])
            }
            do {
                try await service.removeFromWaitingList(
                    tenant: tenant, staff: staff, bookingID: id, reason: input.reason ?? "", ip: context.remoteIP)
                return Response(status: .noContent)
            } catch BookingService.WaitingFailure.notWaiting {
                throw Problem.notFound
            }
        }
    }

    struct RemovalInput: Decodable {
        let reason: String?
    }

    static var gone: String { tr("WaitingListPages.cette_ligne_n_est_plus") }

    static func reasonProblem(_ reason: String) -> String? {
        if ControlCharacters.found(in: reason) { return ControlCharacters.message }
        return reason.count > 500 ? tr("common.le_motif_est_limite_a") : nil
    }

    func page(
        _ request: Request, _ context: AppRequestContext, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request)
        let query = request.uri.queryParameters
        let activity = query.get("activite", as: Int.self)
        let day = query.get("jour").flatMap { LocalDate(iso: $0) }
        let (lines, activities) = try await service.waitingList(
            tenant: tenant, activityID: activity, day: day, today: ParisClock.date(of: Date()))
        var groups: [WaitingListPage.Group] = []
        for w in lines {
            let line = WaitingListPage.Line(
                id: w.line.id, position: w.position, child: w.line.childName, family: w.line.familyName,
                familyId: w.line.familyID ?? 0, requestedAt: ParisTime.format(w.line.requestedAt))
            if let last = groups.last, last.key == "\(w.line.activityID)/\(w.line.day.iso)" {
                groups[groups.count - 1].lines.append(line)
            } else {
                groups.append(
                    .init(
                        key: "\(w.line.activityID)/\(w.line.day.iso)", activity: w.line.activityName, day: w.line.day.french,
                        places: tr("WaitingListPages.1_place_s_prise_s", w.held, w.capacity), lines: [line]))
            }
        }
        let model = WaitingListPage(
            layout: LayoutModel(tenant: tenant, title: tr("WaitingListPages.listes_d_attente"), context: context),
            canWrite: staff.role.mayManage(writing: true), day: day?.iso ?? "",
            activities: activities.map { .init(id: $0.id, name: $0.draft.name, selected: $0.id == activity) },
            count: lines.count, groups: groups, error: error, notice: notice)
        return try HTML(status: status, body: renderer.render("staff_waiting", model), personal: true).response(
            from: request, context: context)
    }
}

/// `staff_waiting.mustache`: one table per activity and date, in the order places go.
struct WaitingListPage {
    let layout: LayoutModel
    let canWrite: Bool
    let day: String
    let activities: [Choice]
    let count: Int
    let groups: [Group]
    let error: String?
    let notice: String?

    struct Group {
        let key: String
        let activity: String
        let day: String
        let places: String
        var lines: [Line]
    }

    struct Line {
        let id: Int
        let position: Int
        let child: String
        let family: String
        let familyId: Int
        let requestedAt: String
    }
}
