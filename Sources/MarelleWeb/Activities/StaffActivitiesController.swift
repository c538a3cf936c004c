import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// `/gestion/activites`: the staff's list of periods and activities, the forms to add them,
/// and closing an activity. The same rules as `/api/v1/activities` (`ActivityInput`).
struct StaffActivitiesController {
    let management: ActivityManagement
    let renderer: PageRenderer
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion/activites") { request, context in try await list(request, context) }
        router.get("/gestion/activites/nouvelle") { request, context in try await form(request, context) }
        router.post("/gestion/activites") { request, context in try await create(request, context) }
        router.get("/gestion/activites/:id") { request, context in try await edit(request, context) }
        router.post("/gestion/activites/:id") { request, context in try await update(request, context) }
        router.post("/gestion/activites/:id/fermer") { request, context in try await close(request, context) }
        router.post("/gestion/periodes") { request, context in try await createPeriod(request, context) }
        router.post("/gestion/fermetures") { request, context in try await createClosure(request, context) }
        router.get("/gestion/periodes/:id") { request, context in try await editPeriod(request, context) }
        router.post("/gestion/periodes/:id") { request, context in try await updatePeriod(request, context) }
        router.post("/gestion/periodes/:id/fermer") { request, context in try await closePeriod(request, context) }
    }

    func list(
        _ request: Request, _ context: AppRequestContext, notice: String? = nil, periodError: String? = nil,
        periodForm: FormData? = nil, closureError: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request)
        let overview = try await management.overview(tenant: tenant)
        let (all, allPeriods, closures) = (overview.activities, overview.periods, overview.closures)
        let activityNames = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.draft.name) })
        let names = Dictionary(uniqueKeysWithValues: allPeriods.map { ($0.id, $0.name) })
        let model = ListPage(
            layout: LayoutModel(tenant: tenant, title: tr("common.activites"), context: context),
            canWrite: staff.role == .direction,
            activities: all.map { a in
                let d = a.draft
                return .init(
                    id: a.id, name: d.name, slot: d.slot, capacity: d.capacity,
                    levels: d.eligibility.levels.isEmpty
                        ? "tous" : d.eligibility.levels.sorted().map(\.rawValue).joined(separator: ", "),
                    deadline: d.bookingDeadline.label, periods: a.periodIDs.compactMap { names[$0] }.joined(separator: ", "),
                    mode: d.validationMode == .manual ? "validation manuelle" : "validation automatique")
            },
            periods: allPeriods.map { p in
                .init(
                    id: p.id, name: p.name, from: p.days.first.french, to: p.days.last.french,
                    opens: ParisTime.format(p.opensAt), closes: ParisTime.format(p.closesAt))
            },
            period: PeriodFields(periodForm),
            closures: closures.map { c in
                .init(
                    from: c.days.first.french, to: c.days.last.french, reason: c.reason,
                    scope: c.activityID.flatMap { activityNames[$0] } ?? tr("StaffActivitiesController.whole_association"))
            },
            activityChoices: all.map { .init(id: $0.id, name: $0.draft.name) },
            notice: notice, periodError: periodError, closureError: closureError)
        return try HTML(status: status, body: renderer.render("staff_activities", model), personal: true).response(
            from: request, context: context)
    }

    func form(
        _ request: Request, _ context: AppRequestContext, form: FormData? = nil, problems: [ActivityDraft.Problem] = [],
        status: HTTPResponse.Status = .ok, editing id: Int? = nil, notice: String? = nil
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        let allPeriods = try await management.periods(tenant: tenant)
        let heading =
            id == nil ? tr("StaffActivitiesController.nouvelle_activite") : tr("StaffActivitiesController.modifier_l_activite")
        let model = ActivityForm.page(
            form: form, periods: allPeriods, problems: problems,
            layout: LayoutModel(tenant: tenant, title: heading, context: context),
            action: id.map { "/gestion/activites/\($0)" } ?? "/gestion/activites", editing: id != nil, notice: notice)
        return try HTML(status: status, body: renderer.render("staff_activity_form", model), personal: true).response(
            from: request, context: context)
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, data) = try await StaffPost.read(request, context, csrf: csrf).parts
        switch ActivityForm(form: data).convert() {
        case .failure(let failure):
            return try await form(request, context, form: data, problems: failure.problems, status: .unprocessableContent)
        case .success(let converted):
            do {
                _ = try await management.createActivity(
                    tenant: tenant, actor: staff, converted.draft, periodIDs: converted.periodIDs, price: converted.price,
                    ip: context.remoteIP)
            } catch ActivityStore.Failure.unknownPeriod {
                return try await form(
                    request, context, form: data,
                    problems: [.init(field: "periodIds", message: tr("common.une_des_periodes_choisies_n"))],
                    status: .unprocessableContent)
            }
            return Response(status: .seeOther, headers: [.location: "/gestion/activites?creee=1"])
        }
    }

    func edit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        guard let id = context.parameters.get("id", as: Int.self),
            let activity = try await management.activity(tenant: tenant, id: id)
        else { throw HTTPError(.notFound) }
        return try await form(request, context, form: ActivityForm.filled(with: activity), editing: id)
    }

    func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try StaffPost.id(context)
        let (tenant, staff, data) = try await StaffPost.read(request, context, csrf: csrf).parts
        switch ActivityForm(form: data).convert(priceRequired: false) {
        case .failure(let failure):
            return try await form(
                request, context, form: data, problems: failure.problems, status: .unprocessableContent, editing: id)
        case .success(let converted):
            do {
                _ = try await management.updateActivity(
                    tenant: tenant, actor: staff, id: id, converted.draft, periodIDs: converted.periodIDs, price: converted.price,
                    ip: context.remoteIP)
            } catch ActivityStore.Failure.unknownActivity {
                throw HTTPError(.notFound)
            } catch ActivityStore.Failure.invalid(let problems) {
                return try await form(
                    request, context, form: data, problems: problems, status: .unprocessableContent, editing: id)
            } catch ActivityStore.Failure.unknownPeriod {
                return try await form(
                    request, context, form: data,
                    problems: [.init(field: "periodIds", message: tr("common.une_des_periodes_choisies_n"))],
                    status: .unprocessableContent, editing: id)
            }
            return Response(status: .seeOther, headers: [.location: "/gestion/activites"])
        }
    }

    func close(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await closeItem(request, context) { tenant, staff, id in
            try await management.closeActivity(tenant: tenant, actor: staff, id: id, ip: context.remoteIP)
        }
    }

    /// Closes an activity or a period from its button, and audits it; 404 when already gone.
    func closeItem(
        _ request: Request, _ context: AppRequestContext, _ close: (Tenant, Account, Int) async throws -> Bool
    ) async throws -> Response {
        let (tenant, staff, _) = try await StaffPost.read(request, context, csrf: csrf).parts
        let id = try StaffPost.id(context)
        guard try await close(tenant, staff, id) else { throw HTTPError(.notFound) }
        return Response(status: .seeOther, headers: [.location: "/gestion/activites"])
    }

    func createClosure(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, data) = try await StaffPost.read(request, context, csrf: csrf).parts
        guard let first = LocalDate(iso: data.text("firstDay")), let last = LocalDate(iso: data.text("lastDay")) else {
            return try await list(
                request, context, closureError: tr("StaffActivitiesController.indiquez_le_premier_et_le"),
                status: .unprocessableContent)
        }
        guard let days = try? DateRange(first: first, last: last) else {
            return try await list(
                request, context, closureError: DateRangeError.endBeforeStart.message, status: .unprocessableContent)
        }
        let activityID = Int(data.text("activity"))
        do {
            try await management.addClosure(
                tenant: tenant, actor: staff, activityID: activityID, days: days, reason: data.text("reason"),
                ip: context.remoteIP)
        } catch ActivityStore.Failure.unknownActivity {
            return try await list(
                request, context, closureError: tr("StaffActivitiesController.cette_activite_n_existe_plus"),
                status: .unprocessableContent)
        }
        return try await list(request, context, notice: tr("StaffActivitiesController.la_fermeture_est_enregistree"))
    }

    /// The page's period form: whole days, bookings opening at 8:00 and closing at 23:59,
    /// Paris time. Returns the values or the message to show.
    static func periodValues(_ data: FormData) -> Result<(String, PeriodStore.Kind, DateRange, Date, Date), PeriodFormError> {
        guard let first = LocalDate(iso: data.text("firstDay")), let last = LocalDate(iso: data.text("lastDay")),
            let opens = LocalDate(iso: data.text("opensDay")), let closes = LocalDate(iso: data.text("closesDay"))
        else { return .failure(PeriodFormError(message: tr("StaffActivitiesController.indiquez_les_quatre_dates_de"))) }
        guard let days = try? DateRange(first: first, last: last) else {
            return .failure(PeriodFormError(message: DateRangeError.endBeforeStart.message))
        }
        return .success(
            (
                data.text("name"), data.text("kind") == "holidays" ? .holidays : .schoolYear, days,
                ParisClock.instant(opens, LocalTime(hour: 8, minute: 0)!),
                ParisClock.instant(closes, LocalTime(hour: 23, minute: 59)!)
            ))
    }

    struct PeriodFormError: Error { let message: String }

    /// Adds (`id` nil) or changes a period; returns nil when saved, or the message to show.
    func savePeriod(_ data: FormData, id: Int?, tenant: Tenant, staff: Account, ip: String?) async throws -> String? {
        let (name, kind, days, opens, closes): (String, PeriodStore.Kind, DateRange, Date, Date)
        switch Self.periodValues(data) {
        case .failure(let error): return error.message
        case .success(let values): (name, kind, days, opens, closes) = values
        }
        do {
            let saved = try await management.savePeriod(
                tenant: tenant, actor: staff, id: id,
                .init(name: name, kind: kind, days: days, opensAt: opens, closesAt: closes), ip: ip)
            return saved == nil ? tr("StaffActivitiesController.cette_periode_n_existe_plus") : nil
        } catch PeriodStore.Failure.invalid(_, let message) {
            return message
        } catch PeriodStore.Failure.overlaps(let other) {
            return tr("common.cette_periode_chevauche_1", other)
        }
    }

    func createPeriod(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, data) = try await StaffPost.read(request, context, csrf: csrf).parts
        if let problem = try await savePeriod(data, id: nil, tenant: tenant, staff: staff, ip: context.remoteIP) {
            return try await list(request, context, periodError: problem, periodForm: data, status: .unprocessableContent)
        }
        return try await list(request, context, notice: tr("StaffActivitiesController.la_periode_est_enregistree"))
    }

    func editPeriod(
        _ request: Request, _ context: AppRequestContext, form: FormData? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        guard let id = context.parameters.get("id", as: Int.self),
            let period = try await management.period(tenant: tenant, id: id)
        else { throw HTTPError(.notFound) }
        let f =
            form
            ?? FormData(fields: [
                "name": period.name, "kind": period.kind, "firstDay": period.days.first.iso, "lastDay": period.days.last.iso,
                "opensDay": ParisClock.date(of: period.opensAt).iso, "closesDay": ParisClock.date(of: period.closesAt).iso,
            ])
        let model = PeriodPage(
            layout: LayoutModel(tenant: tenant, title: tr("StaffActivitiesController.modifier_la_periode"), context: context),
            id: id, period: PeriodFields(f),
            error: error)
        return try HTML(status: status, body: renderer.render("staff_period_form", model), personal: true).response(
            from: request, context: context)
    }

    func updatePeriod(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try StaffPost.id(context)
        let (tenant, staff, data) = try await StaffPost.read(request, context, csrf: csrf).parts
        if let problem = try await savePeriod(data, id: id, tenant: tenant, staff: staff, ip: context.remoteIP) {
            return try await editPeriod(request, context, form: data, error: problem, status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/activites"])
    }

    func closePeriod(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await closeItem(request, context) { tenant, staff, id in
            try await management.closePeriod(tenant: tenant, actor: staff, id: id, ip: context.remoteIP)
        }
    }

    /// "Activités" (`staff_activities.mustache`): activities, periods and closures, with the
    /// forms that add a period and a closure.
    struct ListPage {
        let layout: LayoutModel
        let canWrite: Bool
        let activities: [Activity]
        let periods: [Period]
        let period: PeriodFields
        let closures: [Closure]
        let activityChoices: [Choice]
        let notice: String?
        let periodError: String?
        let closureError: String?

        struct Activity {
            let id: Int
            let name: String
            let slot: String
            let capacity: Int
            let levels: String
            let deadline: String
            let periods: String
            let mode: String
        }

        struct Period {
            let id: Int
            let name: String
            let from: String
            let to: String
            let opens: String
            let closes: String
        }

        struct Closure {
            let from: String
            let to: String
            let reason: String
            /// The activity closed, or "toute l'association".
            let scope: String
        }

    }

    /// "Modifier la période" (`staff_period_form.mustache`).
    struct PeriodPage {
        let layout: LayoutModel
        let id: Int
        let period: PeriodFields
        let error: String?
    }

    /// A period's form fields as typed (empty for a new one).
    struct PeriodFields {
        let name: String
        let firstDay: String
        let lastDay: String
        let opensDay: String
        let closesDay: String
        let holidays: Bool

        init(_ form: FormData?) {
            (name, firstDay, lastDay) = (form?.text("name") ?? "", form?.text("firstDay") ?? "", form?.text("lastDay") ?? "")
            (opensDay, closesDay, holidays) = (
                form?.text("opensDay") ?? "", form?.text("closesDay") ?? "", form?.text("kind") == "holidays"
            )
        }
    }
}
