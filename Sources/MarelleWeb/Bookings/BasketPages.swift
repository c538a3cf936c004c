import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// Step 4, "Résumé": the basket as the manual shows it (`Nom | Période | Tarif | Type`, the
/// total, "Vider le panier", "Nouvelle inscription", "Valider"), the confirmation after
/// "Valider", and "Mon calendrier" where ticking validated dates adds cancellations.
struct BasketPages {
    let useCases: UseCases
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let service: BookingService
    var basket: Basket { useCases.basket }

    func register(on router: Router<AppRequestContext>) {
        router.get("/panier") { request, context in try await summary(request, context) }
        router.post("/panier/vider") { request, context in try await clear(request, context) }
        router.post("/panier/lignes/:id/supprimer") { request, context in try await remove(request, context) }
        router.post("/panier/valider") { request, context in try await submit(request, context) }
        router.post("/panier/annuler") { request, context in try await cancel(request, context) }
        router.post("/mon-calendrier/retirer") { request, context in try await withdraw(request, context) }
    }

    /// The pages whose use case checks the session itself (`SessionMiddleware.deferred`).
    func registerCheckingCaller(on group: RouterGroup<AppRequestContext>) {
        group.get("/mon-calendrier") { request, context in try await calendar(request, context) }
    }

    func summary(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        let contents = try await basket.contents(tenant: tenant, familyID: familyID)
        let (lines, prices) = (contents.lines, contents.priceCents)
        var total = 0
        let rows = lines.map { line in
            let cents = line.kind == .booking ? (prices[line.activityID] ?? 0) : -(line.bookedPriceCents ?? 0)
            total += cents
            return SummaryPage.Line(
                id: line.id, name: line.activityName, child: line.childName,
                period: "\(line.day.shortFrench) \(line.startsAt.description) - \(line.endsAt.description)",
                price: Money(cents: abs(cents)).description, type: line.kind.label, cancellation: line.kind == .cancellation,
                full: contents.full.contains(line.id))
        }
        let model = SummaryPage(
            layout: LayoutModel(tenant: tenant, title: tr("BasketPages.4_resume"), context: context), steps: WizardPages.steps(4),
            lines: rows,
            total: Money(cents: total).description, hasLines: !rows.isEmpty, key: UUID().uuidString,
            notice: request.uri.queryParameters.get("vide") != nil ? tr("BasketPages.le_panier_a_ete_vide") : nil,
            blocked: contents.blockedCents.map { tr("SubmitBasket.blocked_unpaid", Money(cents: $0).description) })
        return try HTML(body: renderer.render("basket", model), personal: true).response(from: request, context: context)
    }

    func clear(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        try csrf.verify(try await FormData(request: request, context: context), request, context)
        try await basket.clear(tenant: tenant, familyID: familyID)
        return Response(status: .seeOther, headers: [.location: "/panier?vide=1"])
    }

    func remove(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        try csrf.verify(try await FormData(request: request, context: context), request, context)
        let id = try StaffPost.id(context)
        guard try await basket.remove(tenant: tenant, familyID: familyID, lineID: id) else {
            throw HTTPError(.notFound)
        }
        return Response(status: .seeOther, headers: [.location: "/panier"])
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, _) = try context.requireParent(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        // The form carries a key of its own: a double click or a reload submits once.
        let key = form.text("cle").isEmpty ? nil : "page-" + form.text("cle")
        switch try await service.submit(
            tenant: tenant, caller: try context.requireCaller(request), idempotencyKey: key, ip: context.remoteIP)
        {
        case .emptyBasket, .keyReused, .unknownLine:
            return Response(status: .seeOther, headers: [.location: "/panier"])
        case .done(let result):
            let refused = result.lines.filter { $0.outcome == .refused }
            let waiting = result.lines.filter { $0.outcome == .waiting }
            let accepted = result.lines.count - refused.count - waiting.count
            // The banner says what happened, in the colour of the worst of it: nothing went
            // through (error), some lines were refused or wait for a place (warning), all went.
            let (banner, css): (String, String) =
                if accepted == 0 && waiting.isEmpty {
                    (
                        tr("BasketPages.votre_demande_n_1_n", result.submissionID),
                        "error"
                    )
                } else if !refused.isEmpty || !waiting.isEmpty {
                    (
                        tr("BasketPages.votre_demande_n_1_est", result.submissionID, accepted)
                            + (waiting.isEmpty ? "" : tr("BasketPages.1_sur_liste_d_attente", waiting.count))
                            + (refused.isEmpty ? "" : tr("BasketPages.1_refusee_s", refused.count))
                            + tr("BasketPages.un_e_mail_vous_a"),
                        "warning"
                    )
                } else {
                    (
                        tr("BasketPages.votre_demande_n_1_est_2", result.submissionID),
                        "notice"
                    )
                }
            let model = SubmittedPage(
                layout: LayoutModel(tenant: tenant, title: tr("BasketPages.demande_envoyee"), context: context, basketCount: 0),
                number: result.submissionID, banner: banner, bannerClass: css,
                lines: result.lines.map {
                    .init(
                        what: $0.summaryText, outcome: $0.outcomeText, price: $0.priceCents.map { Money(cents: $0).description },
                        refused: $0.outcome == .refused, waiting: $0.outcome == .waiting)
                }, amount: SubmittedPage.amount(result.lines))
            return try HTML(status: .ok, body: renderer.render("submitted", model), personal: true).response(
                from: request, context: context)
        }
    }

    /// "Retirer": requests and waiting lines taken back at once (no decision needed).
    func withdraw(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, account, familyID) = try context.requireParent(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let ids = form.all("retraits").compactMap { Int($0) }
        _ = try await service.withdraw(tenant: tenant, account: account, familyID: familyID, ids: ids, ip: context.remoteIP)
        return Response(status: .seeOther, headers: [.location: "/mon-calendrier?retire=1"])
    }

    func cancel(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let ids = form.all("reservations").compactMap { Int($0) }
        try await basket.addCancellations(tenant: tenant, familyID: familyID, bookingIDs: ids)
        return Response(status: .seeOther, headers: [.location: "/panier"])
    }

    /// "Mon calendrier": each child's month with the legend of the SPEC; validated dates can
    /// be ticked for cancellation.
    func calendar(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let month = MonthParameter(request)
        let read = try await useCases.calendars.familyMonth(
            tenant: tenant, caller: try context.requireCaller(request), first: month.first)
        let page = MyCalendarPage(
            layout: LayoutModel(tenant: tenant, title: tr("BasketPages.mon_calendrier"), context: context), month: month,
            read: read)
        return try HTML(body: renderer.render("my_calendar", page), personal: true).response(from: request, context: context)
    }

    static func css(_ status: BookingStatus) -> String {
        switch status {
        case .validated, .cancelRequested: "validated"
        case .requested: "requested"
        case .waiting: "waiting"
        case .refused: "refused"
        case .cancelled: "closed"
        }
    }
}

/// Step 4, "Résumé" (`basket.mustache`).
struct SummaryPage {
    let layout: LayoutModel
    let steps: [WizardStep]
    let lines: [Line]
    let total: String
    let hasLines: Bool
    /// The submission's own key: a double click or a reload submits once.
    let key: String
    let notice: String?
    /// Why "Valider" will refuse new bookings: overdue invoices above the threshold.
    let blocked: String?

    struct Line {
        let id: Int
        let name: String
        let child: String
        let period: String
        let price: String
        /// "Réservation" or "Annulation", as the manual's `Type` column says.
        let type: String
        let cancellation: Bool
        /// The date is full now: this line will go on the waiting list.
        let full: Bool
    }
}

/// After "Valider" (`submitted.mustache`): each line and what became of it.
struct SubmittedPage {
    let layout: LayoutModel
    let number: Int
    let banner: String
    /// `notice`, `warning` or `error`: the banner's colour.
    let bannerClass: String
    let lines: [Line]
    /// What the accepted lines add to the month's invoice (cancellations subtract), nil when
    /// nothing was accepted; waiting lines count only once they get a place.
    let amount: String?

    struct Line {
        let what: String
        let outcome: String
        let price: String?
        let refused: Bool
        let waiting: Bool
    }

    /// The request's amount: booked dates requested or validated, less cancellations.
    static func amount(_ lines: [SubmitBasket.LineResult]) -> String? {
        let counted = lines.compactMap { line -> Int? in
            guard let cents = line.priceCents else { return nil }
            switch line.outcome {
            case .requested, .validated: return cents
            case .cancelRequested, .cancelled: return -cents
            case .waiting, .refused: return nil
            }
        }
        return counted.isEmpty ? nil : Money(cents: counted.reduce(0, +)).description
    }
}
