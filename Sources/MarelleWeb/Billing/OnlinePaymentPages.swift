import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarellePayments
import MarelleStore

/// Paying online from the pages: "Payer en ligne" (`POST /mes-factures/payer`, one invoice or
/// the whole balance) sends the parent to the provider; the return page (`/paiements/{id}`)
/// shows what the provider's server has confirmed, never more; the direction sets the
/// provider up (`/gestion/facturation/paiement-en-ligne`). In development, the fake provider's
/// payment page (`/_fake-pay/{checkout}`).
struct OnlinePaymentPages {
    let payments: OnlinePayments
    let mail: MailComposer
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let development: Bool

    func register(on router: Router<AppRequestContext>) {
        router.post("/mes-factures/payer") { request, context in try await pay(request, context) }
        router.get("/paiements/{id}") { request, context in try await returned(request, context) }
        router.get("/gestion/facturation/paiement-en-ligne") { request, context in try await settings(request, context) }
        router.post("/gestion/facturation/paiement-en-ligne") { request, context in try await save(request, context) }
        if development {
            router.get("/_fake-pay/{checkout}") { request, context in try await fakePage(request, context) }
            router.post("/_fake-pay/{checkout}") { request, context in try await fakeDecision(request, context) }
        }
    }

    /// The association's public origin: links are built from the registry, never the Host header.
    static func origin(_ mail: MailComposer, _ tenant: Tenant) -> String { mail.link(tenant, "") }

    func pay(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, account, familyID) = try context.requireParent(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let invoice = form.text("facture").isEmpty ? nil : Int(form.text("facture")).map { [$0] } ?? [0]
        do {
            let started = try await payments.start(
                tenant: tenant, parent: account, familyID: familyID, invoiceIDs: invoice, origin: Self.origin(mail, tenant))
            return Response(status: .seeOther, headers: [.location: started.redirectURL, .cacheControl: "no-store"])
        } catch let failure as OnlinePayments.Failure {
            let reason =
                switch failure {
                case .nothingToPay: "rien"
                case .oneInvoiceAtATime: "une"
                case .providerFailed: "echec"
                default: "indisponible"
                }
            return Response(status: .seeOther, headers: [.location: "/mes-factures?paiement=\(reason)"])
        }
    }

    func returned(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        guard let attempt = try await payments.attempt(tenant: tenant, id: try StaffPost.id(context), familyID: familyID) else {
            throw HTTPError(.notFound)
        }
        let cancelled = request.uri.queryParameters.get("annule") != nil
        let model = PaymentReturnPage(
            layout: LayoutModel(tenant: tenant, title: tr("OnlinePaymentPages.title_return"), context: context),
            attempt: attempt, cancelled: cancelled)
        return try HTML(body: renderer.render("payment_return", model), personal: true).response(from: request, context: context)
    }

    func settings(
        _ request: Request, _ context: AppRequestContext, problems: [FieldProblem] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        let settings = try await payments.settings(tenant: tenant, development: development)
        let model = PaymentSettingsPage(
            layout: LayoutModel(tenant: tenant, title: tr("OnlinePaymentPages.title_settings"), context: context),
            settings: settings, problems: problems,
            notice: request.uri.queryParameters.get("fait") != nil ? tr("OnlinePaymentPages.saved") : nil,
            webhookURL: Self.origin(mail, tenant) + "/api/v1/webhooks/stripe")
        return try HTML(status: status, body: renderer.render("staff_payment_settings", model), personal: true).response(
            from: request, context: context)
    }

    func save(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        do {
            try await payments.configure(
                tenant: tenant, staff: staff, provider: form.text("provider"), secretKey: form.text("secretKey"),
                webhookSecret: form.text("webhookSecret"), clientID: form.text("clientId"),
                organization: form.text("organization"), mode: form.text("mode"), enabled: form.isChecked("enabled"),
                development: development,
                ip: context.remoteIP)
        } catch OnlinePayments.Failure.invalid(let problems) {
            return try await settings(request, context, problems: problems, status: .unprocessableContent)
        } catch OnlinePayments.Failure.unavailable {
            return try await settings(
                request, context, problems: [FieldProblem(field: "provider", message: tr("OnlinePaymentPages.no_key"))],
                status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/facturation/paiement-en-ligne?fait=1"])
    }

    // MARK: The fake provider (development)

    func fakePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let books = payments.fakeBooks(tenant: tenant)
        guard let id = context.parameters.get("checkout"), let checkout = try await books.find(id) else {
            throw HTTPError(.notFound)
        }
        let model = FakeProviderPage(
            layout: LayoutModel(tenant: tenant, title: tr("OnlinePaymentPages.title_fake"), context: context), id: checkout.id,
            amount: Money(cents: checkout.amountCents).description, description: checkout.description,
            open: checkout.state == "open")
        return try HTML(body: renderer.render("fake_provider", model), personal: true).response(from: request, context: context)
    }

    func fakeDecision(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        guard let id = context.parameters.get("checkout") else { throw HTTPError(.notFound) }
        let action = form.text("action")
        let books = payments.fakeBooks(tenant: tenant)
        guard
            let next = try await books.decide(
                id, pay: action != "refuser", copies: action == "doublon" ? 2 : 1,
                delay: action == "retard" ? .seconds(5) : .zero, payments: payments)
        else { throw HTTPError(.notFound) }
        return Response(status: .seeOther, headers: [.location: next])
    }
}

/// `payment_return.mustache`: what the provider's server has confirmed of one attempt.
struct PaymentReturnPage {
    let layout: LayoutModel
    let id: Int
    let amount: String
    let paid: Bool
    let waiting: Bool
    let failed: Bool
    let cancelled: Bool
    let receiptId: Int?
    let receiptNumber: String?

    init(layout: LayoutModel, attempt: OnlinePaymentStore.Attempt, cancelled: Bool) {
        self.layout = layout
        (id, amount) = (attempt.id, Money(cents: attempt.amountCents).description)
        paid = attempt.state == .paid
        waiting = !paid && !cancelled && [.created, .pending].contains(attempt.state)
        failed = !paid && !waiting
        self.cancelled = cancelled && !paid
        (receiptId, receiptNumber) = (attempt.paymentID, attempt.receiptNumber)
    }
}

/// `staff_payment_settings.mustache`: the provider, its secrets (never shown back), on or off.
struct PaymentSettingsPage {
    let layout: LayoutModel
    let available: Bool
    let providers: [CodeOption]
    let hint: String?
    let enabled: Bool
    let organization: String
    let modes: [CodeOption]
    let errors: FormErrors
    let notice: String?
    let webhookURL: String
    let helloAssoURL: String

    init(
        layout: LayoutModel, settings: OnlinePayments.Settings, problems: [FieldProblem], notice: String?, webhookURL: String
    ) {
        self.layout = layout
        available = settings.available
        let offered: [ProviderKind] =
            settings.offersFake ? [.helloasso, .stripe, .payfip, .fake] : [.helloasso, .stripe, .payfip]
        providers = offered.map {
            CodeOption(code: $0.rawValue, label: Self.label($0), selected: settings.provider == $0)
        }
        hint = settings.hint.isEmpty ? nil : settings.hint
        enabled = settings.provider == nil || settings.enabled
        errors = FormErrors(problems)
        organization = settings.organization ?? ""
        modes = [
            ("T", tr("OnlinePaymentPages.mode_test")), ("X", tr("OnlinePaymentPages.mode_activation")),
            ("W", tr("OnlinePaymentPages.mode_production")),
        ].map {
            CodeOption(code: $0.0, label: $0.1, selected: settings.mode == $0.0)
        }
        (self.notice, self.webhookURL) = (notice, webhookURL)
        helloAssoURL = webhookURL.replacingOccurrences(of: "/stripe", with: "/helloasso")
    }
}

extension PaymentSettingsPage {
    static func label(_ kind: ProviderKind) -> String {
        switch kind {
        case .stripe: tr("OnlinePaymentPages.provider_stripe")
        case .fake: tr("OnlinePaymentPages.provider_fake")
        case .helloasso: tr("OnlinePaymentPages.provider_helloasso")
        case .payfip: tr("OnlinePaymentPages.provider_payfip")
        }
    }
}

/// `fake_provider.mustache`: the fake provider's payment page.
struct FakeProviderPage {
    let layout: LayoutModel
    let id: String
    let amount: String
    let description: String
    let open: Bool
}
