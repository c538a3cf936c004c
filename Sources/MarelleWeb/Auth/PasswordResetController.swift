import Hummingbird
import MarelleApp
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// "Mot de passe oublié": ask for a link, then choose a new password with it. Invitations
/// end the same way (choose a password through a single-use link), so both live here.
struct PasswordResetController {
    let database: Database
    let hasher: PasswordHasher
    let update: PasswordUpdate
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let mail: MailComposer
    let accounts = AccountStore()
    let links = AccountLinkStore()
    let throttle = ThrottleStore()
    let outbox = OutboxStore()
    let audit = AuditLog()

    /// The same words whether or not the address has an account.
    static let sentNotice =
        "Si un compte correspond à cette adresse, vous allez recevoir un e-mail avec un lien pour choisir un nouveau mot de passe (valable 30 minutes). Pensez à regarder dans vos courriers indésirables."

    func register(on router: Router<AppRequestContext>) {
        router.get("/mot-de-passe-oublie") { request, context in try forgotPage(request, context) }
        router.post("/mot-de-passe-oublie") { request, context in try await forgot(request, context) }
        for kind in [AccountLinkStore.Kind.reset, .invitation] {
            let path = kind == .reset ? "/reinitialisation" : "/invitation"
            router.get(RouterPath(path)) { request, context in
                try await choosePage(request, context, kind: kind, token: request.uri.queryParameters["jeton"].map(String.init) ?? "")
            }
            router.post(RouterPath(path)) { request, context in try await choose(request, context, kind: kind) }
        }
    }

    func forgotPage(_ request: Request, _ context: AppRequestContext, notice: String? = nil, error: String? = nil, email: String = "") throws -> Response {
        let tenant = try context.requireTenant()
        return try csrf.page(request, context) { token in
            var model: [String: Any] = ["layout": LayoutModel(tenant: tenant, title: "Mot de passe oublié", context: context, csrf: token), "email": email]
            if let notice { model["notice"] = notice }
            if let error { model["error"] = error }
            return try HTML(body: renderer.render("forgot", model), personal: true).response(from: request, context: context)
        }
    }

    func forgot(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        guard let email = EmailAddress(form.text("email")) else {
            return try forgotPage(request, context, error: "Saisissez une adresse e-mail valide.", email: form.text("email"))
        }
        // One Argon2 verification whatever happens next, so that the time taken does not
        // tell whether the address has an account.
        _ = try? await hasher.verify(form.text("email"), against: nil)
        try await database.withTenant(try tenant.scope()) { tx in
            guard let account = try accounts.find(tx, email: email), !account.isDisabled else {
                try audit.record(tx, actor: .anonymous, action: "password.reset-requested.unknown", ip: context.remoteIP)
                return
            }
            let token = try links.create(tx, kind: .reset, accountID: account.id, createdBy: nil)
            let message = mail.passwordReset(tenant, token: token)
            try outbox.enqueue(tx, kind: message.kind, to: account.email, subject: message.subject, body: message.body)
            try audit.record(tx, actor: .anonymous, action: "password.reset-requested", subject: account.email, ip: context.remoteIP)
        }
        return try forgotPage(request, context, notice: Self.sentNotice)
    }

    func choosePage(
        _ request: Request, _ context: AppRequestContext, kind: AccountLinkStore.Kind, token: String,
        error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let account = try await database.withTenant(try tenant.scope()) { tx in try links.peek(tx, kind: kind, token: token) }
        let title = kind == .reset ? "Nouveau mot de passe" : "Activer mon compte"
        return try csrf.page(request, context) { csrfToken in
            var model: [String: Any] = [
                "layout": LayoutModel(tenant: tenant, title: title, context: context, csrf: csrfToken), "title": title,
                "token": token, "action": kind == .reset ? "/reinitialisation" : "/invitation",
                "minimum": PasswordPolicy.minimumLength,
            ]
            if let account { model["email"] = account.email } else { model["expired"] = true }
            if let error { model["error"] = error }
            return try HTML(status: account == nil ? .gone : status, body: renderer.render("choose_password", model), personal: true)
                .response(from: request, context: context)
        }
    }

    func choose(_ request: Request, _ context: AppRequestContext, kind: AccountLinkStore.Kind) async throws -> Response {
        let tenant = try context.requireTenant()
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let token = form.text("jeton")
        let password = form["password"] ?? ""
        let scope = try tenant.scope()
        guard let account = try await database.withTenant(scope, { tx in try links.peek(tx, kind: kind, token: token) }) else {
            return try await choosePage(request, context, kind: kind, token: token)
        }
        if let problem = update.problem(password, confirmation: form["confirmation"] ?? "", email: account.email, tenant: tenant) {
            return try await choosePage(request, context, kind: kind, token: token, error: problem.message, status: .unprocessableContent)
        }
        let hash = try await hasher.hash(password)
        let done = try await database.withTenant(scope) { tx -> Bool in
            guard let account = try links.consume(tx, kind: kind, token: token) else { return false }
            try update.apply(
                tx, tenant: tenant, account: account, hash: hash, notify: kind == .reset,
                action: kind == .reset ? "password.reset" : "account.activate", ip: context.remoteIP)
            try throttle.clear(tx, key: "account:\(account.email)")
            // The person proved they hold the mailbox: lift the lock their own earlier
            // failures put on the address they are using, or they could not sign in now.
            if let ip = context.remoteIP { try throttle.clear(tx, key: "ip:\(ip)") }
            return true
        }
        guard done else { return try await choosePage(request, context, kind: kind, token: token) }
        return Response(status: .seeOther, headers: [.location: kind == .reset ? "/login?reinitialise=1" : "/login?active=1"])
    }
}
