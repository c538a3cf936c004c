import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// `/api/v1/auth/...` and `/api/v1/me`. The API takes bearer tokens only, never the session
/// cookie, so a page of another site can never act through it with the browser's cookies.
struct AuthAPIController {
    let useCases: UseCases
    let auth: AuthService

    struct LoginBody: Decodable {
        let email: String
        let password: String
    }

    func register(public api: RouterGroup<AppRequestContext>, authenticated: RouterGroup<AppRequestContext>) {
        api.post("/auth/login") { request, context in try await login(request, context) }
        authenticated.delete("/auth/session") { request, context in try await logout(request, context) }
        authenticated.get("/me") { _, context in try me(context) }
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<TokenBody> {
        let tenant = try context.requireTenant()
        let data = try await JSONBody.read(request, upTo: 16 * 1024)
        guard let body = try? JSONDecoder().decode(LoginBody.self, from: data) else {
            throw Problem.badRequest("Envoyez un objet JSON {\"email\": \"...\", \"password\": \"...\"}.")
        }
        switch try await auth.login(tenant: tenant, email: body.email, password: body.password, ip: context.remoteIP) {
        case .invalid:
            throw Problem.unauthorized("Adresse e-mail ou mot de passe incorrect.")
        case .throttled(let wait):
            throw Problem(
                status: .tooManyRequests, title: "Trop de tentatives",
                detail: "Trop de tentatives de connexion : réessayez dans \(wait) s.", retryAfter: wait)
        case .busy:
            throw Problem(
                status: .serviceUnavailable, title: "Service occupé", detail: "Réessayez dans quelques secondes.", retryAfter: 2)
        case .success(let account):
            let issued = try await useCases.authentication.issueToken(tenant: tenant, account: account, ip: context.remoteIP)
            return JSONReply(
                status: .created, TokenBody(token: issued.token, expiresAt: issued.expiresAt, account: AccountBody(account)))
        }
    }

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        guard let account = context.apiAccount, let token = BearerMiddleware.token(request) else { throw Problem.unauthorized() }
        try await useCases.authentication.revokeToken(tenant: tenant, account: account, token: token, ip: context.remoteIP)
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    func me(_ context: AppRequestContext) throws -> JSONReply<AccountBody> {
        JSONReply(AccountBody(try context.requireAPIAccount()))
    }
}

/// Authenticates API requests by their `Authorization: Bearer` token; 401 problem otherwise.
/// `deferred`: the route's use case checks the token in its own transaction (`Caller`), and
/// answers 401 the same way when it is not live.
struct BearerMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authentication: Authentication
    var deferred = false

    static func token(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        guard context.tenant != nil, let token = Self.token(request) else { throw Problem.unauthorized() }
        var context = context
        let checked = try await context.attach(
            .bearer(token: token), request: request, deferred: deferred, authentication: authentication)
        if checked, context.apiAccount == nil { throw Problem.unauthorized(Problem.unknownToken) }
        return try await next(request, context)
    }
}
