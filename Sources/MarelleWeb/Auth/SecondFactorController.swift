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
        var model = SecondFactorPage(layout: LayoutModel(tenant: tenant, title: "Double authentification", context: context))
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
            layout: LayoutModel(tenant: tenant, title: "Activer la double authentification", context: context))
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
            return try codesPage(tenant, codes, notice: "La double authentification est activée.", request, context)
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
            return try codesPage(tenant, codes, notice: "Vos anciens codes de secours ne fonctionnent plus.", request, context)
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
        return try await page(request, context, notice: "La double authentification est désactivée.")
    }

    private func codesPage(
        _ tenant: Tenant, _ codes: [String], notice: String, _ request: Request, _ context: AppRequestContext
    ) throws -> Response {
        var model = SecondFactorPage(layout: LayoutModel(tenant: tenant, title: "Vos codes de secours", context: context))
        model.codes = codes
        model.next = Self.path
        model.notice = notice
        return try HTML(body: renderer.render("recovery_codes", model), personal: true).response(from: request, context: context)
    }

    /// The French text of each refusal, shared with the direction's form.
    static func message(_ error: any Error) -> String {
        switch error as? SecondFactors.Failure {
        case .notStaff?: "La double authentification concerne les comptes de l'équipe."
        case .unavailable?: "La double authentification n'est pas configurée sur ce serveur."
        case .alreadyEnabled?: "La double authentification est déjà activée sur votre compte."
        case .notEnabled?: "La double authentification n'est pas activée sur votre compte."
        case .wrongCode?: "Ce code n'est pas le bon, ou il a déjà servi. Attendez le code suivant de l'application et réessayez."
        case .required?: "L'association exige la double authentification pour son équipe : elle ne peut pas être désactivée."
        case .actorHasNone?:
            "Activez d'abord la double authentification sur votre propre compte (Mon compte), puis exigez-la de l'équipe."
        case .expiredChallenge?: "Le délai pour saisir le code est dépassé : connectez-vous à nouveau."
        case nil: "La double authentification n'a pas pu être modifiée."
        }
    }
}
