import Hummingbird
import MarelleApp
import MarelleCore

/// `/mon-compte/double-authentification`: a staff member turns her second factor on (scan,
/// then the first code), asks for new recovery codes, or turns it off, each time proving
/// she holds it with a current code.
struct SecondFactorController {
    let secondFactors: SecondFactors
    let renderer: PageRenderer
    let csrf: CSRFTokens

    static let path = "/mon-compte/double-authentification"

    func register(on router: Router<AppRequestContext>) {
        router.get(.init(Self.path)) { request, context in try await page(request, context) }
        router.post(.init(Self.path + "/activation")) { request, context in try await begin(request, context) }
        router.post(.init(Self.path + "/confirmation")) { request, context in try await confirm(request, context) }
        router.post(.init(Self.path + "/codes-de-secours")) { request, context in try await renew(request, context) }
        router.post(.init(Self.path + "/desactivation")) { request, context in try await disable(request, context) }
    }

    private func staff(_ request: Request, _ context: AppRequestContext) throws -> (Tenant, Account) {
        let tenant = try context.requireTenant()
        let account = try context.requireStaff(request)
        return (tenant, account)
    }

    func page(
        _ request: Request, _ context: AppRequestContext, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (tenant, account) = try staff(request, context)
        let current = try await secondFactors.status(tenant: tenant, account: account)
        var model = SecondFactorPage(
            layout: LayoutModel(tenant: tenant, title: tr("SecondFactorController.double_authentification"), context: context))
        model.error = error
        model.notice = notice
        model.available = current.available
        model.enabled = current.enabled
        model.required = current.required
        model.recoveryCodesLeft = current.recoveryCodesLeft
        return try HTML(status: status, body: renderer.render("second_factor", model), personal: true).response(
            from: request, context: context)
    }

    func begin(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, account) = try staff(request, context)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        return try await enrolPage(tenant, account, request, context)
    }

    private func enrolPage(
        _ tenant: Tenant, _ account: Account, _ request: Request, _ context: AppRequestContext, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let enrolment: SecondFactors.Enrolment
        do {
            enrolment = try await secondFactors.begin(tenant: tenant, account: account)
        } catch {
            return try await page(request, context, error: Self.message(error), status: .unprocessableContent)
        }
        var model = SecondFactorPage(
            layout: LayoutModel(tenant: tenant, title: tr("common.activer_la_double_authentification"), context: context)
        )
        model.action = Self.path + "/confirmation"
        model.next = Self.path
        model.error = error
        model.show(enrolment)
        return try HTML(status: status, body: renderer.render("second_factor_enrol", model), personal: true).response(
            from: request, context: context)
    }

    func confirm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, account) = try staff(request, context)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        switch try await secondFactors.confirm(tenant: tenant, account: account, code: form.text("code"), ip: context.remoteIP) {
        case .success(let codes):
            return try codesPage(
                tenant, codes, notice: tr("common.la_double_authentification_est_activee"), request, context)
        case .failure(.wrongCode):
            return try await enrolPage(
                tenant, account, request, context, error: Self.message(SecondFactors.Failure.wrongCode),
                status: .unprocessableContent)
        case .failure(let failure):
            return try await page(request, context, error: Self.message(failure), status: .unprocessableContent)
        }
    }

    func renew(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, account) = try staff(request, context)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        switch try await secondFactors.newRecoveryCodes(
            tenant: tenant, account: account, code: form.text("code"), ip: context.remoteIP)
        {
        case .success(let codes):
            return try codesPage(
                tenant, codes, notice: tr("SecondFactorController.vos_anciens_codes_de_secours"), request, context)
        case .failure(let failure):
            return try await page(request, context, error: Self.message(failure), status: .unprocessableContent)
        }
    }

    func disable(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, account) = try staff(request, context)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        if let failure = try await secondFactors.disable(
            tenant: tenant, account: account, code: form.text("code"), ip: context.remoteIP)
        {
            return try await page(request, context, error: Self.message(failure), status: .unprocessableContent)
        }
        return try await page(request, context, notice: tr("SecondFactorController.la_double_authentification_est_desactivee"))
    }

    private func codesPage(
        _ tenant: Tenant, _ codes: [String], notice: String, _ request: Request, _ context: AppRequestContext
    ) throws -> Response {
        var model = SecondFactorPage(
            layout: LayoutModel(tenant: tenant, title: tr("common.vos_codes_de_secours"), context: context))
        model.codes = codes
        model.next = Self.path
        model.notice = notice
        return try HTML(body: renderer.render("recovery_codes", model), personal: true).response(from: request, context: context)
    }

    /// The French text of each refusal, shared with the direction's form.
    static func message(_ error: any Error) -> String {
        switch error as? SecondFactors.Failure {
        case .notStaff?: tr("SecondFactorController.la_double_authentification_concerne_les")
        case .unavailable?: tr("SecondFactorController.la_double_authentification_n_est")
        case .alreadyEnabled?: tr("SecondFactorController.la_double_authentification_est_deja")
        case .notEnabled?: tr("SecondFactorController.la_double_authentification_n_est_2")
        case .wrongCode?: tr("common.ce_code_n_est_pas")
        case .required?: tr("SecondFactorController.l_association_exige_la_double")
        case .actorHasNone?:
            tr("SecondFactorController.activez_d_abord_la_double")
        case .expiredChallenge?: tr("common.le_delai_pour_saisir_le")
        case nil: tr("SecondFactorController.la_double_authentification_n_a")
        }
    }
}
