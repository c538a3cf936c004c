import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// "Présences" (`/gestion/presences?jour=&activite=`): the children expected on a day, per
/// activity, with their health and who may take them home. On screen, the tablet's buttons
/// (arrival, departure, absent); printed (or `&impression=1`), an A4 sheet per activity with
/// a signature column. Any staff member ticks: the animateurs are the ones on the floor.
struct AttendancePages {
    let attendance: AttendanceSheets
    let renderer: PageRenderer
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion/presences") { request, context in
            let query = request.uri.queryParameters
            let day = query.get("jour").flatMap { LocalDate(iso: $0) } ?? ParisClock.date(of: Date())
            return try await page(
                request, context, day: day, activityID: query.get("activite", as: Int.self),
                printing: query.get("impression") != nil)
        }
        router.post("/gestion/presences/imprevu") { request, context in try await admit(request, context) }
        router.post("/gestion/presences/{booking}") { request, context in try await tick(request, context) }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, day: LocalDate, activityID: Int?, printing: Bool,
        error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request)
        let overview = try await attendance.overview(tenant: tenant, day: day, activityID: activityID, roster: !printing)
        let model = AttendancePage(
            layout: LayoutModel(tenant: tenant, title: tr("AttendancePages.presences_du_1", day.french), context: context),
            day: day.iso, dayFrench: day.french, printing: printing, tablet: !printing,
            activityID: activityID.map(String.init),
            printLink: "/gestion/presences?jour=\(day.iso)\(activityID.map { "&activite=\($0)" } ?? "")&impression=1",
            activities: overview.activities.map { .init(id: $0.id, name: $0.draft.name, selected: $0.id == activityID) },
            sheets: overview.sheets.map { AttendancePage.Sheet($0) },
            roster: overview.roster.map { .init(id: $0.id, label: "\($0.name) (\($0.familyName))") },
            error: error)
        return try HTML(status: status, body: renderer.render("staff_attendance", model), personal: true).response(
            from: request, context: context)
    }

    /// The tablet's buttons: `action` is arrivee, depart, absent or annuler; `heure` (HH:MM)
    /// is now when left empty; `venu_par` names who took the child home.
    func tick(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf, writing: false).parts
        let bookingID = try StaffPost.id(context, "booking")
        let back = Back(form)
        let time: AttendanceSheets.Time
        if form.text("heure").isEmpty {
            time = .instant(Date())
        } else if let wall = LocalTime(form.text("heure")) {
            time = .wall(wall)
        } else {
            return try await back.page(self, request, context, error: tr("AttendancePages.l_heure_se_donne_sous"))
        }
        let change: AttendanceSheets.TickChange
        switch form.text("action") {
        case "arrivee": change = .init(arrivedAt: .set(time), noShow: false)
        case "depart":
            let name = form.text("venu_par")
            change = .init(leftAt: .set(time), pickedUpBy: name.isEmpty ? .keep : .set(name))
        case "absent": change = .init(noShow: true)
        case "annuler": change = .init(arrivedAt: .clear, leftAt: .clear, pickedUpBy: .clear, noShow: false)
        default:
            return try await back.page(self, request, context, error: tr("AttendancePages.choisissez_arrive_parti_ou_absent"))
        }
        do {
            _ = try await attendance.tick(
                tenant: tenant, staff: staff, bookingID: bookingID, change: change, ip: context.remoteIP)
        } catch let failure as AttendanceSheets.Failure {
            return try await back.page(self, request, context, failure: failure)
        }
        return back.redirect(anchor: "enfant-\(bookingID)")
    }

    /// A child who came without a booking: `enfant`, `activite`, `jour`, `heure`.
    func admit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf, writing: false).parts
        let back = Back(form)
        guard let childID = Int(form.text("enfant")), let activityID = back.activityID else {
            return try await back.page(self, request, context, error: tr("common.choisissez_l_enfant_et_l"))
        }
        var time: AttendanceSheets.Time? = nil
        if !form.text("heure").isEmpty {
            guard let wall = LocalTime(form.text("heure")) else {
                return try await back.page(self, request, context, error: tr("AttendancePages.l_heure_se_donne_sous"))
            }
            time = .wall(wall)
        }
        let entry: AttendanceStore.Entry
        do {
            entry = try await attendance.admit(
                tenant: tenant, staff: staff, childID: childID, activityID: activityID, day: back.day, arrivedAt: time,
                ip: context.remoteIP)
        } catch let failure as AttendanceSheets.Failure {
            return try await back.page(self, request, context, failure: failure)
        }
        return back.redirect(anchor: "enfant-\(entry.bookingID)")
    }

    /// Where a tablet's form goes back to: the list it was sent from.
    struct Back {
        let day: LocalDate
        let activityID: Int?

        init(_ form: FormData) {
            day = LocalDate(iso: form.text("jour")) ?? ParisClock.date(of: Date())
            activityID = Int(form.text("activite"))
        }

        func redirect(anchor: String) -> Response {
            let activity = activityID.map { "&activite=\($0)" } ?? ""
            return Response(status: .seeOther, headers: [.location: "/gestion/presences?jour=\(day.iso)\(activity)#\(anchor)"])
        }

        func page(_ pages: AttendancePages, _ request: Request, _ context: AppRequestContext, error: String) async throws
            -> Response
        {
            try await pages.page(
                request, context, day: day, activityID: activityID, printing: false, error: error,
                status: .unprocessableContent)
        }

        func page(
            _ pages: AttendancePages, _ request: Request, _ context: AppRequestContext, failure: AttendanceSheets.Failure
        ) async throws -> Response {
            switch failure {
            case .notFound: throw HTTPError(.notFound)
            case .notExpected:
                return try await page(pages, request, context, error: tr("AttendancePages.cette_reservation_n_est_pas"))
            case .invalid(let problems):
                return try await page(pages, request, context, error: problems.map(\.message).joined(separator: " "))
            }
        }
    }
}
