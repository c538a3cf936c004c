import Hummingbird
import MarelleApp
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// `/mon-compte/mot-de-passe`: change one's password, proving the current one first. Other
/// sessions and API tokens end; this one stays.
struct PasswordChangeController {
    let database: Database
    let hasher: PasswordHasher
    let update: PasswordUpdate
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let accounts = AccountStore()

    func register(on router: Router<AppRequestContext>) {
        router.get("/mon-compte/mot-de-passe") { request, context in try page(request, context) }
        router.post("/mon-compte/mot-de-passe") { request, context in try await submit(request, context) }
    }

    func page(_ request: Request, _ context: AppRequestContext, error: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireAccount(request)
        var model: [String: Any] = [
            "layout": LayoutModel(tenant: tenant, title: "Changer de mot de passe", context: context),
            "minimum": PasswordPolicy.minimumLength,
        ]
        if let error { model["error"] = error }
        if let notice { model["notice"] = notice }
        return try HTML(status: status, body: renderer.render("change_password", model), personal: true).response(from: request, context: context)
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let account = try context.requireAccount(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let scope = try tenant.scope()
        let stored = try await database.withTenant(scope) { tx in try accounts.passwordHash(tx, id: account.id) }
        guard try await hasher.verify(form["current"] ?? "", against: stored) else {
            return try page(request, context, error: "Le mot de passe actuel n'est pas le bon.", status: .unprocessableContent)
        }
        let password = form["password"] ?? ""
        if let problem = update.problem(password, confirmation: form["confirmation"] ?? "", email: account.email, tenant: tenant) { return try page(request, context, error: problem.message, status: .unprocessableContent) }
        let hash = try await hasher.hash(password)
        try await database.withTenant(scope) { tx in
            try update.apply(
                tx, tenant: tenant, account: account, hash: hash, keepingSession: context.session?.idHash, notify: true,
                action: "password.change", ip: context.remoteIP)
        }
        return try page(request, context, notice: "Votre mot de passe a été modifié. Vos autres sessions ont été fermées.")
    }
}
