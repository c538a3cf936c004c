import Logging
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleApp
import MarelleStore

/// Resumes the browser session named by the cookie. The session lives in the tenant's
/// schema, so a cookie of tenant A is simply unknown on tenant B's host.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authentication: Authentication
    let cookies: SessionCookie

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let id = request.cookies[cookies.sessionName]?.value, !id.isEmpty, let tenant = context.tenant else {
            return try await next(request, context)
        }
        var context = context
        context.session = try await authentication.session(id: id, tenant: tenant)
        if let account = context.session?.account {
            context.logger[metadataKey: "account"] = .stringConvertible(account.id)
        }
        return try await next(request, context)
    }
}
