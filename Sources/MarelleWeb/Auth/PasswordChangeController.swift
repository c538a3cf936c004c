import Hummingbird
import MarelleApp
import MarelleAuth
import MarelleCore
import MarelleStore

/// `/mon-compte/mot-de-passe`: change one's password, proving the current one first. Other
/// sessions and API tokens end; this one stays.
struct PasswordChangeController {
    let passwords: Passwords
    let renderer: PageRenderer
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/mon-compte/mot-de-passe") { request, context in try page(request, context) }
        router.post("/mon-compte/mot-de-passe") { request, context in try await submit(request, context) }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireAccount(request)
        let model = AccountPage(
            layout: LayoutModel(tenant: tenant, title: tr("PasswordChangeController.changer_de_mot_de_passe"), context: context),
            error: error, notice: notice,
            minimum: PasswordPolicy.minimumLength)
        return try HTML(status: status, body: renderer.render("change_password", model), personal: true).response(
            from: request, context: context)
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let account = try context.requireAccount(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let outcome = try await passwords.change(
            tenant: tenant, account: account, current: form["current"] ?? "", password: form["password"] ?? "",
            confirmation: form["confirmation"] ?? "", keepingSession: context.session?.idHash, ip: context.remoteIP)
        switch outcome {
        case .refused:
            return try page(
                request, context, error: tr("PasswordChangeController.le_mot_de_passe_actuel"), status: .unprocessableContent)
        case .problem(let problem): return try page(request, context, error: problem.message, status: .unprocessableContent)
        case .done: break
        }
        return try page(request, context, notice: tr("PasswordChangeController.votre_mot_de_passe_a"))
    }
}
