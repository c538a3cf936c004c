import Hummingbird
import MarelleCore

/// Chooses the language of the answer and binds `Language.current` around the rest of the
/// request: the footer's choice (a cookie, which sign-in sets from the account's setting),
/// else the browser's `Accept-Language`, else French.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let cookies: SessionCookie

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let language =
            request.cookies[cookies.languageName].flatMap { Language(rawValue: $0.value) }
            ?? Language.preferred(acceptLanguage: request.headers[.acceptLanguage]) ?? .fr
        var context = context
        context.returnPath = request.method == .get ? LocalPath.orHome(request.uri.description) : "/"
        var response = try await Language.$current.withValue(language) { try await next(request, context) }
        response.headers[.contentLanguage] = language.rawValue
        return response
    }
}
