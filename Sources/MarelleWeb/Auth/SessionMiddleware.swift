import Logging
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// Resumes the browser session named by the cookie. The session lives in the tenant's
/// schema, so a cookie of tenant A is simply unknown on tenant B's host.
///
/// `deferred` is for the routes whose use case checks the caller in its own transaction
/// (`Caller`): a page read then costs one transaction, not two. Only safe methods defer: a
/// form's CSRF token must be compared with the session's before anything runs.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authentication: Authentication
    let cookies: SessionCookie
    var deferred = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let id = request.cookies[cookies.sessionName]?.value, !id.isEmpty, let tenant = context.tenant else {
            return try await next(request, context)
        }
        var context = context
        let caller = Caller(.session(id: id))
        context.caller = caller
        guard deferred, request.method == .get || request.method == .head else {
            try await authentication.check(caller, tenant: tenant)
            if let account = caller.account {
                context.logger[metadataKey: "account"] = .stringConvertible(account.id)
            }
            return try await next(request, context)
        }
        return try await next(request, context)
    }
}
