import Foundation
import Hummingbird
import Logging
import MarelleApp
import MarelleCore

/// The one place where failures become answers: problem+json (RFC 9457) under `/api`, a French
/// page everywhere else, never Hummingbird's own JSON. It answers what a handler threw and
/// also a bare 4xx/5xx a handler or the router returned without a body.
///
/// - `Problem` (the API's typed errors) and redirects (`LoginRequired`) answer as they are.
/// - `HTTPError` keeps its status, headers and French message.
/// - A database error that the input caused (`ClientFault`: out of range, foreign key,
///   duplicate) is a 4xx, logged as a warning: a check before SQL is missing.
/// - Anything else is a bug: 500, logged at error with its cause; the person sees only the
///   request id, which finds the log line.
struct ErrorPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: ErrorPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            let response = try await next(request, context)
            guard response.status.code >= 400, response.headers[.contentType] == nil else { return response }
            return try answer(Failure(status: response.status, headers: response.headers), request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let refusal as CallerRefusal {
            return try answer(refusal, request, context)
        } catch let error as any HTTPResponseError where error.status.code < 400 {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            return try answer(
                Failure(status: error.status, message: error.body, headers: error.headers, cause: error), request, context)
        } catch let error as any HTTPResponseError {
            return try answer(Failure(status: error.status, cause: error), request, context)
        } catch {
            if let fault = ClientFault(error) {
                // A check that should have come before SQL is missing: the client's fault all
                // the same (the transaction rolled back), and a warning so that it gets written.
                context.logger.warning("client fault reached the database", metadata: ["error": "\(error)"])
                return try answer(Failure(status: .init(code: fault.status), message: fault.message), request, context)
            }
            return try answer(Failure(status: .internalServerError, cause: error), request, context)
        }
    }

    /// What went wrong, as the person will be told.
    struct Failure {
        let status: HTTPResponse.Status
        var message: String? = nil
        var headers: HTTPFields = [:]
        var cause: (any Error)? = nil
    }

    private func answer(_ failure: Failure, _ request: Request, _ context: Context) throws -> Response {
        if failure.status.code >= 500 {
            let cause = failure.cause.map { String(reflecting: $0) } ?? "a bare \(failure.status.code) answer"
            context.logger.error("request failed", metadata: ["error": "\(cause)", "path": "\(request.uri.path)"])
        }
        let words = ErrorWords(status: failure.status)
        // A 5xx never shows its message: it may name internals.
        let detail = failure.status.code < 500 ? (failure.message ?? words.detail) : words.detail
        var response: Response
        if Self.isAPI(request.uri.path) {
            let (title, detail) =
                failure.status == .notFound && failure.message == nil
                ? (tr("common.introuvable"), tr("ErrorPolicy.rien_ne_repond_a_cette")) : (words.title, detail)
            response = try Problem(status: failure.status, title: title, detail: detail).response(from: request, context: context)
        } else {
            let page = ErrorPageModel(
                title: words.title, detail: detail, requestID: failure.status.code >= 500 ? context.id : nil,
                signIn: failure.status == .unauthorized)
            response = pages.response(page, status: failure.status)
        }
        // Retry-After, WWW-Authenticate, Allow and the like stay; the body's own headers are ours.
        for field in failure.headers where field.name != .contentType && field.name != .contentLength {
            response.headers[fields: field.name] = failure.headers[fields: field.name]
        }
        return response
    }

    /// A use case that checked its caller itself (`Caller`) refused it: as the middleware
    /// would have (401 or the login page), or 403 for a staff account on a parent's page.
    private func answer(_ refusal: CallerRefusal, _ request: Request, _ context: Context) throws -> Response {
        let api = Self.isAPI(request.uri.path)
        switch refusal {
        case .unknown where api:
            return try Problem.unauthorized(Problem.unknownToken).response(from: request, context: context)
        case .unknown:
            return try LoginRequired(next: request.uri.path).response(from: request, context: context)
        case .notAParent where api:
            return try Problem(status: .forbidden, title: tr("common.acces_refuse"), detail: Problem.familiesOnly)
                .response(
                    from: request, context: context)
        case .notAParent:
            return try answer(Failure(status: .forbidden, message: Problem.familiesOnly), request, context)
        }
    }

    static func isAPI(_ path: String) -> Bool {
        path == "/api" || path.hasPrefix("/api/")
    }
}

/// The French title and sentence for a status.
struct ErrorWords {
    let title: String
    let detail: String

    init(status: HTTPResponse.Status) {
        switch status.code {
        case 400: (title, detail) = (tr("common.requete_invalide"), tr("ErrorPolicy.la_demande_n_a_pas"))
        case 401: (title, detail) = (tr("ErrorPolicy.connexion_requise"), tr("ErrorPolicy.connectez_vous_pour_acceder_a"))
        case 403: (title, detail) = (tr("common.acces_refuse"), tr("ErrorPolicy.vous_n_avez_pas_acces"))
        case 404: (title, detail) = (tr("ErrorPolicy.page_introuvable"), tr("ErrorPolicy.cette_page_n_existe_pas"))
        case 405: (title, detail) = (tr("ErrorPolicy.methode_non_permise"), tr("ErrorPolicy.cette_adresse_ne_s_utilise"))
        case 409: (title, detail) = (tr("ErrorPolicy.conflit"), tr("ErrorPolicy.cette_demande_contredit_l_etat"))
        case 413: (title, detail) = (tr("ErrorPolicy.envoi_trop_volumineux"), tr("ErrorPolicy.l_envoi_depasse_la_taille"))
        case 415: (title, detail) = (tr("ErrorPolicy.format_non_pris_en_charge"), tr("ErrorPolicy.ce_format_de_donnees_n"))
        case 422: (title, detail) = (tr("common.donnees_invalides"), tr("ErrorPolicy.certaines_donnees_ne_sont_pas"))
        case 429: (title, detail) = (tr("common.trop_de_tentatives"), tr("ErrorPolicy.trop_de_demandes_en_peu"))
        case 503:
            (title, detail) = (
                tr("common.service_momentanement_indisponible"),
                tr("common.reessayez_dans_quelques_secondes_rien")
            )
        case 500...:
            (title, detail) = (
                tr("ErrorPolicy.une_erreur_est_survenue"),
                tr("ErrorPolicy.une_erreur_est_survenue_de")
            )
        default: (title, detail) = (tr("ErrorPolicy.demande_refusee"), tr("ErrorPolicy.cette_demande_n_a_pas"))
        }
    }
}

/// The error page's model.
struct ErrorPageModel {
    let title: String
    let detail: String
    /// Shown on a 5xx, so that a report can be matched with the log.
    let requestID: String?
    let signIn: Bool
}

/// Renders the error page; a page that cannot be rendered falls back to plain text.
struct ErrorPages: Sendable {
    let renderer: PageRenderer

    func response(_ page: ErrorPageModel, status: HTTPResponse.Status) -> Response {
        let body = (try? renderer.render("error", page)) ?? "\(page.title)\n\n\(page.detail)\n"
        let type = body.hasPrefix("<") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8"
        return Response(
            status: status, headers: [.contentType: type, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension ErrorPageModel: TemplateModel {
    static let fields: [String: any PartialKeyPath<ErrorPageModel> & Sendable] = [
        "title": \.title, "detail": \.detail, "requestID": \.requestID, "signIn": \.signIn,
    ]
}
