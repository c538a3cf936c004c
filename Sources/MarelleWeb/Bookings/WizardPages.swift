import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// "Inscription" > "S'inscrire": the four steps of the manual, `1 Participants 2 Activités
/// 3 Planning 4 Résumé`, as plain forms and links (no script needed). Steps 1 to 3 carry the
/// choices in the query string; step 3 puts dates in the basket, which is step 4.
struct WizardPages {
    let useCases: UseCases
    let renderer: PageRenderer
    let csrf: CSRFTokens
    var calendars: Calendars { useCases.calendars }

    func register(on router: Router<AppRequestContext>) {
        router.get("/inscription") { request, context in try await hub(request, context) }
        router.get("/inscription/participants") { request, context in try await participants(request, context) }
        router.get("/inscription/activites") { request, context in try await activities(request, context) }
        router.post("/panier/ajouter") { request, context in try await addDays(request, context) }
        router.post("/panier/ajouter-periode") { request, context in try await addPeriod(request, context) }
    }

    /// The pages whose use case checks the session itself (`SessionMiddleware.deferred`).
    func registerCheckingCaller(on group: RouterGroup<AppRequestContext>) {
        group.get("/inscription/planning") { request, context in try await planning(request, context) }
    }

    static func steps(_ current: Int) -> [WizardStep] {
        ["Participants", tr("common.activites"), "Planning", tr("WizardPages.resume")].enumerated().map { index, name in
            WizardStep(number: index + 1, name: name, current: index + 1 == current, done: index + 1 < current)
        }
    }

    func render(
        _ template: String, _ title: String, _ request: Request, _ context: AppRequestContext, tenant: Tenant,
        _ model: (LayoutModel) -> Any
    ) throws -> Response {
        let body = try renderer.render(template, model(LayoutModel(tenant: tenant, title: title, context: context)))
        return try HTML(body: body, personal: true).response(from: request, context: context)
    }

    /// Step 1 (`wizard_participants.mustache`): the family's children to choose from.
    struct ParticipantsPage {
        let layout: LayoutModel
        let steps: [WizardStep]
        let error: String?
        let children: [Child]

        struct Child {
            let id: Int
            let name: String
            let checked: Bool
            let level: String?
        }
    }

    /// Step 2 (`wizard_activities.mustache`): for each chosen child, the activities open to them.
    struct ActivitiesPage {
        let layout: LayoutModel
        let steps: [WizardStep]
        let error: Bool
        let children: [Child]
        /// "Précédent", with the children ticked at step 1.
        let back: String

        struct Child {
            let id: Int
            let name: String
            let activities: [Activity]
        }

        struct Activity {
            /// `child-activity`, the value carried to step 3.
            let value: String
            let name: String
            /// Period, days, hours and the family's price: "du 01/09/2026 au 03/07/2027 ·
            /// lundi, mardi, jeudi, vendredi · 7h30 – 8h30 · 1,85 €".
            let details: String
            let checked: Bool
        }
    }

    func hub(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, _) = try context.requireParent(request)
        return try render("booking_hub", tr("WizardPages.inscription"), request, context, tenant: tenant) { layout in
            PlainPage(layout: layout)
        }
    }

    func participants(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        let children = try await calendars.children(tenant: tenant, familyID: familyID)
        let chosen = Set(request.uri.queryParameters.getAll("enfants", as: Int.self))
        return try render("wizard_participants", "1 Participants", request, context, tenant: tenant) { layout in
            ParticipantsPage(
                layout: layout, steps: Self.steps(1),
                error: request.uri.queryParameters.get("erreur") != nil ? tr("WizardPages.choisissez_au_moins_un_enfant") : nil,
                children: children.map {
                    .init(
                        id: $0.id, name: "\($0.draft.firstName) \($0.draft.lastName)", checked: chosen.contains($0.id),
                        level: $0.draft.level?.rawValue)
                })
        }
    }

    func activities(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        let chosen = Set(request.uri.queryParameters.getAll("enfants", as: Int.self))
        guard !chosen.isEmpty else {
            return Response(status: .seeOther, headers: [.location: "/inscription/participants?erreur=1"])
        }
        let today = ParisClock.date(of: Date())
        let read = try await calendars.choices(tenant: tenant, familyID: familyID, childIDs: chosen, today: today)
        let (children, all) = (read.children, read.activities)
        guard !children.isEmpty else { throw HTTPError(.notFound) }
        let picked = Set(request.uri.queryParameters.getAll("choix", as: String.self))
        let rows = children.map { child in
            let d = child.draft
            let open = all.filter { a in
                !a.periodIDs.isEmpty
                    && d.birthDate.map { b in a.draft.eligibility.allows(level: d.level, birthDate: b, on: today) } == true
            }
            return ActivitiesPage.Child(
                id: child.id, name: "\(d.firstName) \(d.lastName)",
                activities: open.map { a in
                    let value = "\(child.id)-\(a.id)"
                    return .init(
                        value: value, name: a.draft.name,
                        details: Self.details(a, periods: read.periods, price: read.prices[a.id]),
                        checked: picked.contains(value))
                })
        }
        let back = "/inscription/participants?" + chosen.sorted().map { "enfants=\($0)" }.joined(separator: "&")
        return try render("wizard_activities", tr("WizardPages.2_activites"), request, context, tenant: tenant) { layout in
            ActivitiesPage(
                layout: layout, steps: Self.steps(2), error: request.uri.queryParameters.get("erreur") != nil, children: rows,
                back: back)
        }
    }

    static let weekdayNames = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

    static func details(_ a: ActivityStore.Activity, periods: [PeriodStore.Period], price: Money?) -> String {
        let spans = periods.filter { a.periodIDs.contains($0.id) }.map {
            tr("common.du_1_au_2", $0.days.first.french, $0.days.last.french)
        }
        let days = a.draft.weekdays.sorted().map { weekdayNames[$0 - 1] }.joined(separator: ", ")
        // Names often carry their hours already ("PS MATIN TOUS (7h30-8h30)"): not said twice.
        let hours =
            a.draft.name.contains(a.draft.startsAt.french) ? [] : ["\(a.draft.startsAt.french) – \(a.draft.endsAt.french)"]
        return (spans + [days] + hours + (price.map { [tr("WizardPages.1_le_jour", $0)] } ?? [])).joined(separator: " · ")
    }

    /// The pairs child-activity chosen at step 2, kept only when the child is the family's.
    static func choices(_ values: [String]) -> [(child: Int, activity: Int)] {
        values.compactMap { value in
            let parts = value.split(separator: "-").compactMap { Int($0) }
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
    }

    func planning(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let caller = try context.requireCaller(request)
        let rawChoices = request.uri.queryParameters.getAll("choix", as: String.self)
        let choices = Self.choices(rawChoices)
        guard !choices.isEmpty else {
            let children = request.uri.queryParameters.getAll("enfants", as: Int.self).map { "enfants=\($0)" }.joined(
                separator: "&")
            return Response(status: .seeOther, headers: [.location: "/inscription/activites?erreur=1&" + children])
        }
        let month = MonthParameter(request)
        let read = try await calendars.planning(tenant: tenant, caller: caller, choices: choices, first: month.first)
        // Without a month asked, the grid opens where the chosen activities can first be booked
        // (a February holiday course, seen in December, opens on February).
        if request.uri.queryParameters.get("mois") == nil, let opening = Self.openingMonth(read, choices: choices),
            opening > month.first
        {
            let query = rawChoices.map { "choix=\($0)" }.joined(separator: "&")
            return Response(status: .seeOther, headers: [.location: "/inscription/planning?\(query)&mois=\(opening.isoMonth)"])
        }
        let planning = PlanningModel(
            choices: choices, month: month.first, period: request.uri.queryParameters.get("periode", as: Int.self))
        let query = rawChoices.map { "choix=\($0)" }.joined(separator: "&")
        let page = planning.build(
            read, layout: LayoutModel(tenant: tenant, title: "3 Planning", context: context), query: query,
            choiceValues: rawChoices,
            previous: month.previous, next: month.next)
        return try HTML(body: renderer.render("wizard_planning", page), personal: true).response(from: request, context: context)
    }

    /// The first month of the chosen activities' periods that has not ended (nil: none known).
    static func openingMonth(_ read: Calendars.Planning, choices: [(child: Int, activity: Int)]) -> LocalDate? {
        let today = ParisClock.date(of: Date())
        let periodIDs = Set(choices.flatMap { read.months[$0.child]?[$0.activity]?.activity.periodIDs ?? [] })
        let starts = read.periods.filter { periodIDs.contains($0.id) && $0.days.last >= today }.map { max($0.days.first, today) }
        return starts.min().map { LocalDate(year: $0.year, month: $0.month, day: 1)! }
    }

    /// Step 3 by calendar: the ticked cells (`jours` = child-activity-date) into the basket.
    func addDays(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let lines: [(childID: Int, activityID: Int, day: LocalDate)] = form.all("jours").compactMap { value in
            let parts = value.split(separator: "-", maxSplits: 2)
            guard parts.count == 3, let child = Int(parts[0]), let activity = Int(parts[1]), let day = LocalDate(iso: parts[2])
            else { return nil }
            return (child, activity, day)
        }
        try await useCases.basketFilling.add(tenant: tenant, familyID: familyID, lines: lines)
        // ‹ or ›: the ticks are in the basket, the other month shows (with them, green).
        let month = form.text("aller")
        if LocalDate(iso: month + "-01") != nil {
            return Response(
                status: .seeOther, headers: [.location: "/inscription/planning?\(Self.query(form.text("query")))&mois=\(month)"])
        }
        return Response(
            status: .seeOther,
            headers: [.location: lines.isEmpty ? "/inscription/planning?\(Self.query(form.text("query")))&vide=1" : "/panier"])
    }

    /// The `choix=…` pairs a form carries back, rebuilt from the ones that read as pairs (the
    /// field is the client's: nothing else of it reaches the redirect).
    static func query(_ carried: String) -> String {
        carried.split(separator: "&").compactMap { pair -> String? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "choix", choices([String(parts[1])]).count == 1 else { return nil }
            return "choix=\(parts[1])"
        }.joined(separator: "&")
    }

    /// Step 3 by period: every ticked weekday of every ticked week of the period, where the
    /// activity runs, for each chosen child and activity.
    func addPeriod(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        // "Toutes les semaines" carries every Monday of the list, comma-separated.
        let weeks = Set(form.all("semaines").flatMap { $0.split(separator: ",") }.prefix(60).compactMap { LocalDate(iso: $0) })
        let weekdays = Set(form.all("joursSemaine").compactMap { Int($0) }.filter { (1...7).contains($0) })
        let choices = Self.choices(form.all("choix"))
        let days = weeks.flatMap { monday in weekdays.map { monday.adding(days: $0 - 1) } }
        let added = try await useCases.basketFilling.addRunningDays(
            tenant: tenant, familyID: familyID, choices: choices, days: days)
        return Response(
            status: .seeOther,
            headers: [.location: added == 0 ? "/inscription/planning?\(Self.query(form.text("query")))&vide=1" : "/panier"]
        )
    }
}
