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
        /// The authenticator's code (or a recovery code), for staff who have one.
        let code: String?
    }

    struct ChallengeBody: Decodable {
        let challenge: String
        let code: String?
    }

    func register(public api: RouterGroup<AppRequestContext>, authenticated: RouterGroup<AppRequestContext>) {
        api.post("/auth/login") { request, context in try await login(request, context) }
        api.post("/auth/second-factor") { request, context in try await secondFactor(request, context) }
        api.post("/auth/enrolment") { request, context in try await enrolment(request, context) }
        api.post("/auth/enrolment/confirmation") { request, context in try await confirmEnrolment(request, context) }
        authenticated.delete("/auth/session") { request, context in try await logout(request, context) }
        authenticated.get("/me") { _, context in try me(context) }
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<TokenBody> {
        let tenant = try context.requireTenant()
        let data = try await JSONBody.read(request, upTo: 16 * 1024)
        guard let body = try? JSONDecoder().decode(LoginBody.self, from: data) else {
            throw Problem.badRequest(tr("AuthAPIController.envoyez_un_objet_json_email"))
        }
        let outcome = try await auth.login(
            tenant: tenant, email: body.email, password: body.password, code: body.code, ip: context.remoteIP)
        return try await answer(outcome, tenant: tenant, context: context)
    }

    /// The code after a login that answered `second-factor-required`.
    func secondFactor(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<TokenBody> {
        let tenant = try context.requireTenant()
        let body = try await challengeBody(request, needsCode: true)
        let outcome = try await auth.complete(
            tenant: tenant, challenge: body.challenge, code: body.code ?? "", ip: context.remoteIP)
        return try await answer(outcome, tenant: tenant, context: context)
    }

    /// The authenticator to set up after a login that answered `second-factor-enrolment-required`.
    func enrolment(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<SecondFactorEnrolmentBody> {
        let tenant = try context.requireTenant()
        let body = try await challengeBody(request, needsCode: false)
        guard let enrolment = try await auth.enrolment(tenant: tenant, challenge: body.challenge) else {
            throw Self.expired
        }
        return JSONReply(SecondFactorEnrolmentBody(enrolment))
    }

    func confirmEnrolment(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<TokenBody> {
        let tenant = try context.requireTenant()
        let body = try await challengeBody(request, needsCode: true)
        let (outcome, codes) = try await auth.completeEnrolment(
            tenant: tenant, challenge: body.challenge, code: body.code ?? "", ip: context.remoteIP)
        return try await answer(outcome, recoveryCodes: codes, tenant: tenant, context: context)
    }

    private func challengeBody(_ request: Request, needsCode: Bool) async throws -> ChallengeBody {
        let data = try await JSONBody.read(request, upTo: 16 * 1024)
        guard let body = try? JSONDecoder().decode(ChallengeBody.self, from: data), !needsCode || body.code != nil else {
            throw Problem.badRequest(
                needsCode
                    ? tr("AuthAPIController.envoyez_un_objet_json_challenge")
                    : tr("AuthAPIController.envoyez_un_objet_json_challenge_2"))
        }
        return body
    }

    static var expired: Problem {
        Problem(
            status: .unauthorized, title: tr("AuthAPIController.connexion_expiree"),
            detail: tr("AuthAPIController.le_delai_pour_donner_le"),
            type: "urn:marelle:problem:second-factor-expired")
    }

    /// One answer for every step of a sign-in: the token, or why not yet.
    private func answer(
        _ outcome: AuthService.Outcome, recoveryCodes: [String] = [], tenant: Tenant, context: AppRequestContext
    ) async throws -> JSONReply<TokenBody> {
        switch outcome {
        case .invalid:
            throw Problem.unauthorized(tr("common.adresse_e_mail_ou_mot"))
        case .throttled(let wait):
            throw Problem(
                status: .tooManyRequests, title: tr("common.trop_de_tentatives"),
                detail: tr("AuthAPIController.trop_de_tentatives_de_connexion", wait), retryAfter: wait)
        case .busy:
            throw Problem(
                status: .serviceUnavailable, title: tr("AuthAPIController.service_occupe"),
                detail: tr("AuthAPIController.reessayez_dans_quelques_secondes"), retryAfter: 2)
        case .secondFactor(let challenge, .code):
            throw Problem(
                status: .unauthorized, title: tr("AuthAPIController.code_de_verification_requis"),
                detail:
                    tr("AuthAPIController.ce_compte_a_la_double"),
                type: "urn:marelle:problem:second-factor-required", challenge: challenge)
        case .secondFactor(let challenge, .enrol):
            throw Problem(
                status: .forbidden, title: tr("AuthAPIController.double_authentification_a_activer"),
                detail:
                    tr("AuthAPIController.l_association_exige_la_double"),
                type: "urn:marelle:problem:second-factor-enrolment-required", challenge: challenge)
        case .wrongCode:
            throw Problem(
                status: .unauthorized, title: tr("common.code_incorrect"),
                detail: tr("AuthAPIController.ce_code_n_est_pas"), type: "urn:marelle:problem:second-factor-wrong-code")
        case .expiredChallenge:
            throw Self.expired
        case .success(let account):
            let issued = try await useCases.authentication.issueToken(tenant: tenant, account: account, ip: context.remoteIP)
            return JSONReply(
                status: .created,
                TokenBody(
                    token: issued.token, expiresAt: issued.expiresAt, account: AccountBody(account),
                    recoveryCodes: recoveryCodes.isEmpty ? nil : recoveryCodes))
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
