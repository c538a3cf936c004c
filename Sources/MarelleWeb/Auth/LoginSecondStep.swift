import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// The step after a staff member's right password: `/login/code` (the authenticator's code or
/// a recovery code) and `/login/activation` (the enrolment the association requires). The
/// challenge in the form stands for the password already given; it lasts ten minutes and
/// five wrong codes.
extension LoginController {
    func secondStep(
        challenge: String, purpose: SecondFactorStore.Purpose, next: String, error: String? = nil,
        status: HTTPResponse.Status = .ok, _ request: Request, _ context: AppRequestContext
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        switch purpose {
        case .code:
            return try csrf.page(request, context) { token in
                var model = SecondFactorPage(
                    layout: LayoutModel(
                        tenant: tenant, title: tr("LoginSecondStep.code_de_verification"), context: context, csrf: token))
                model.challenge = challenge
                model.next = LocalPath.orHome(next)
                model.error = error
                return try HTML(status: status, body: renderer.render("login_code", model), personal: true).response(
                    from: request, context: context)
            }
        case .enrol:
            guard let enrolment = try await auth.enrolment(tenant: tenant, challenge: challenge) else {
                return try expired(request, context)
            }
            return try csrf.page(request, context) { token in
                var model = SecondFactorPage(
                    layout: LayoutModel(
                        tenant: tenant, title: tr("common.activer_la_double_authentification"), context: context,
                        csrf: token))
                model.challenge = challenge
                model.next = LocalPath.orHome(next)
                model.action = "/login/activation"
                model.mandatory = true
                model.error = error
                model.show(enrolment)
                return try HTML(status: status, body: renderer.render("second_factor_enrol", model), personal: true)
                    .response(from: request, context: context)
            }
        }
    }

    func submitCode(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await secondStepForm(.code, request, context) { tenant, challenge, code in
            (try await auth.complete(tenant: tenant, challenge: challenge, code: code, ip: context.remoteIP), [])
        }
    }

    func submitEnrolment(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await secondStepForm(.enrol, request, context) { tenant, challenge, code in
            try await auth.completeEnrolment(tenant: tenant, challenge: challenge, code: code, ip: context.remoteIP)
        }
    }

    /// Both forms: read and check the form, run the step, answer its outcome.
    private func secondStepForm(
        _ purpose: SecondFactorStore.Purpose, _ request: Request, _ context: AppRequestContext,
        step: (Tenant, String, String) async throws -> (outcome: AuthService.Outcome, recoveryCodes: [String])
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let challenge = form.text("challenge")
        let code = form.text("code")
        let next = form.text("suite")
        guard !code.isEmpty else {
            return try await secondStep(
                challenge: challenge, purpose: purpose, next: next,
                error: tr("LoginSecondStep.saisissez_le_code_de_verification"),
                status: .unprocessableContent, request, context)
        }
        let (outcome, recoveryCodes) = try await step(tenant, challenge, code)
        switch outcome {
        case .success(let account):
            return try await signIn(account, next: next, request, context, recoveryCodes: recoveryCodes)
        case .wrongCode:
            return try await secondStep(
                challenge: challenge, purpose: purpose, next: next,
                error: tr("common.ce_code_n_est_pas"),
                status: .unauthorized, request, context)
        case .throttled(let wait):
            var response = try page(
                request, context,
                error: tr("LoginSecondStep.trop_de_tentatives_reessayez_dans", Self.describe(seconds: wait)),
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        case .expiredChallenge, .invalid, .busy, .secondFactor:
            return try expired(request, context)
        }
    }

    private func expired(_ request: Request, _ context: AppRequestContext) throws -> Response {
        try page(
            request, context, error: tr("common.le_delai_pour_saisir_le"),
            status: .unauthorized)
    }
}
