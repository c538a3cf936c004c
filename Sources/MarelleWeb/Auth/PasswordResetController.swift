import Hummingbird
import MarelleApp
import MarelleAuth
import MarelleCore
import MarelleStore

/// "Mot de passe oublié": ask for a link, then choose a new password with it. Invitations
/// end the same way (choose a password through a single-use link), so both live here.
struct PasswordResetController {
    let passwords: Passwords
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let cookies: SessionCookie

    /// The same words whether or not the address has an account.
    static var sentNotice: String { tr("PasswordResetController.si_un_compte_correspond_a") }

    func register(on router: Router<AppRequestContext>) {
        router.get("/mot-de-passe-oublie") { request, context in try forgotPage(request, context) }
        router.post("/mot-de-passe-oublie") { request, context in try await forgot(request, context) }
        for kind in [AccountLinkStore.Kind.reset, .invitation] {
            let path = kind == .reset ? "/reinitialisation" : "/invitation"
            router.get(RouterPath(path)) { request, context in
                try await choosePage(
                    request, context, kind: kind, token: request.uri.queryParameters["jeton"].map(String.init) ?? "")
            }
            router.post(RouterPath(path)) { request, context in try await choose(request, context, kind: kind) }
        }
    }

    func forgotPage(
        _ request: Request, _ context: AppRequestContext, notice: String? = nil, error: String? = nil, email: String = ""
    ) throws -> Response {
        let tenant = try context.requireTenant()
        return try csrf.page(request, context) { token in
            let model = AccountPage(
                layout: LayoutModel(
                    tenant: tenant, title: tr("PasswordResetController.mot_de_passe_oublie"), context: context, csrf: token),
                email: email,
                error: error,
                notice: notice)
            return try HTML(body: renderer.render("forgot", model), personal: true).response(from: request, context: context)
        }
    }

    func forgot(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        guard let email = EmailAddress(form.text("email")) else {
            return try forgotPage(
                request, context, error: tr("PasswordResetController.saisissez_une_adresse_e_mail"), email: form.text("email"))
        }
        try await passwords.requestReset(tenant: tenant, email: email, ip: context.remoteIP)
        return try forgotPage(request, context, notice: Self.sentNotice)
    }

    func choosePage(
        _ request: Request, _ context: AppRequestContext, kind: AccountLinkStore.Kind, token: String,
        error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let account = try await passwords.linkAccount(tenant: tenant, kind: kind, token: token)
        let title =
            kind == .reset ? tr("PasswordResetController.nouveau_mot_de_passe") : tr("PasswordResetController.activer_mon_compte")
        return try csrf.page(request, context) { csrfToken in
            let model = AccountPage(
                layout: LayoutModel(tenant: tenant, title: title, context: context, csrf: csrfToken), email: account?.email,
                error: error,
                token: token, action: kind == .reset ? "/reinitialisation" : "/invitation", minimum: PasswordPolicy.minimumLength,
                expired: account == nil)
            return try HTML(
                status: account == nil ? .gone : status, body: renderer.render("choose_password", model), personal: true
            )
            .response(from: request, context: context)
        }
    }

    func choose(_ request: Request, _ context: AppRequestContext, kind: AccountLinkStore.Kind) async throws -> Response {
        let tenant = try context.requireTenant()
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let token = form.text("jeton")
        let password = form["password"] ?? ""
        switch try await passwords.choose(
            tenant: tenant, kind: kind, token: token, password: password, confirmation: form["confirmation"] ?? "",
            ip: context.remoteIP)
        {
        case .refused: return try await choosePage(request, context, kind: kind, token: token)
        case .problem(let problem):
            return try await choosePage(
                request, context, kind: kind, token: token, error: problem.message, status: .unprocessableContent)
        case .done(let account):
            var response = Response(
                status: .seeOther, headers: [.location: kind == .reset ? "/login?reinitialise=1" : "/login?active=1"])
            // The login page that follows has the address filled in.
            response.setCookie(cookies.loginAddress(account.email))
            return response
        }
    }
}
