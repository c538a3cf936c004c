import Hummingbird
import Logging
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

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        guard let id = request.cookies[cookies.sessionName]?.value, !id.isEmpty, context.tenant != nil else {
            return try await next(request, context)
        }
        var context = context
        try await context.attach(.session(id: id), request: request, deferred: deferred, authentication: authentication)
        return try await next(request, context)
    }
}

extension AppRequestContext {
    /// Puts the request's credential in `caller` and checks it now, unless `deferred`: then the
    /// route's use case checks it in its own transaction. A session defers on safe methods
    /// only (a form's CSRF token is compared with its session's before anything runs); a
    /// bearer token has no such token and defers on any method. Returns whether it was
    /// checked now.
    @discardableResult
    mutating func attach(
        _ credential: Caller.Credential, request: Request, deferred: Bool, authentication: Authentication
    ) async throws -> Bool {
        let caller = Caller(credential)
        self.caller = caller
        if deferred {
            if case .bearer = credential { return false }
            if request.method == .get || request.method == .head { return false }
        }
        if let account = try await authentication.check(caller, tenant: try requireTenant()).account {
            logger[metadataKey: "account"] = .stringConvertible(account.id)
        }
        return true
    }
}
