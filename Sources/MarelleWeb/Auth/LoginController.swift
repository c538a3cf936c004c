import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// `/login` and `/logout`: the "Connexion" of the parents' manual.
struct LoginController {
    let useCases: UseCases
    let auth: AuthService
    let renderer: PageRenderer
    let cookies: SessionCookie
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/login") { request, context in try page(request, context) }
        router.get("/connexion") { _, _ in Response(status: .seeOther, headers: [.location: "/login"]) }
        router.post("/login") { request, context in try await submit(request, context) }
        router.post("/login/code") { request, context in try await submitCode(request, context) }
        router.post("/login/activation") { request, context in try await submitEnrolment(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, email: String = "", error: String? = nil,
        notice: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let tenant = try context.requireTenant()
        if context.session != nil, error == nil { return Response(status: .seeOther, headers: [.location: "/"]) }
        return try csrf.page(request, context) { token in
            let remembered = email.isEmpty ? cookies.loginAddress(in: request) : nil
            var model = AccountPage(
                layout: LayoutModel(tenant: tenant, title: tr("LoginController.connexion"), context: context, csrf: token),
                email: remembered ?? email, next: request.uri.queryParameters["suite"].map(String.init) ?? "", error: error,
                notice: notice)
            if request.uri.queryParameters["reinitialise"] != nil {
                model.notice = tr("LoginController.votre_mot_de_passe_a")
            }
            if request.uri.queryParameters["active"] != nil {
                model.notice = tr("LoginController.votre_compte_est_active_vous")
            }
            var response = try HTML(status: status, body: renderer.render("login", model), personal: true).response(
                from: request, context: context)
            if remembered != nil { response.setCookie(cookies.expiredLoginAddress()) }
            return response
        }
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let email = form.text("email")
        let password = form["password"] ?? ""
        guard !email.isEmpty, !password.isEmpty else {
            return try page(
                request, context, email: email, error: tr("LoginController.saisissez_votre_adresse_e_mail"),
                status: .unprocessableContent)
        }
        switch try await auth.login(tenant: tenant, email: email, password: password, ip: context.remoteIP) {
        case .invalid:
            return try page(
                request, context, email: email, error: tr("common.adresse_e_mail_ou_mot"), status: .unauthorized)
        case .throttled(let wait):
            var response = try page(
                request, context, email: email,
                error:
                    tr("LoginController.trop_de_tentatives_de_connexion", Self.describe(seconds: wait)),
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        case .busy:
            var response = try page(
                request, context, email: email, error: tr("LoginController.le_service_est_tres_sollicite"),
                status: .serviceUnavailable)
            response.headers[.retryAfter] = "2"
            return response
        case .success(let account):
            return try await signIn(account, next: form.text("suite"), request, context)
        case .secondFactor(let challenge, let purpose):
            return try await secondStep(challenge: challenge, purpose: purpose, next: form.text("suite"), request, context)
        case .wrongCode, .expiredChallenge:
            // Only the code steps answer these (`LoginSecondStep`).
            return try page(
                request, context, email: email, error: tr("common.adresse_e_mail_ou_mot"), status: .unauthorized)
        }
    }

    /// The session after a complete sign-in, then the page asked for (or the privacy text
    /// first, for a parent who has not accepted its current version).
    func signIn(
        _ account: Account, next: String, _ request: Request, _ context: AppRequestContext, recoveryCodes: [String] = []
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        // A new session id at every sign-in: an id planted before login is worth nothing.
        let old = request.cookies[cookies.sessionName]?.value
        let (opened, accepted) = try await useCases.authentication.openSession(
            tenant: tenant, account: account, replacing: old, ip: context.remoteIP, userAgent: request.headers[.userAgent])
        var target = LocalPath.orHome(next)
        if !accepted {
            target =
                "/traitement-des-donnees?suite=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
        }
        var response: Response
        if recoveryCodes.isEmpty {
            response = Response(status: .seeOther, headers: [.location: target, .cacheControl: "no-store"])
        } else {
            // Shown once, on the first page of the new session.
            var model = SecondFactorPage(
                layout: LayoutModel(tenant: tenant, title: tr("common.vos_codes_de_secours"), context: context))
            model.codes = recoveryCodes
            model.next = target
            model.notice = tr("common.la_double_authentification_est_activee")
            response = try HTML(body: renderer.render("recovery_codes", model), personal: true).response(
                from: request, context: context)
        }
        response.setCookie(cookies.session(opened.id))
        // The account's language follows it to a new device.
        if let language = account.language { response.setCookie(cookies.language(language)) }
        return response
    }

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        if let id = request.cookies[cookies.sessionName]?.value {
            try await useCases.authentication.closeSession(
                tenant: tenant, id: id, account: context.session?.account, ip: context.remoteIP)
        }
        var response = Response(status: .seeOther, headers: [.location: "/login", .cacheControl: "no-store"])
        response.setCookie(cookies.expiredSession())
        return response
    }

    static func describe(seconds: Int) -> String {
        seconds < 60
            ? "\(max(seconds, 1)) seconde\(seconds > 1 ? "s" : "")" : "\((seconds + 59) / 60) minute\(seconds > 60 ? "s" : "")"
    }
}
