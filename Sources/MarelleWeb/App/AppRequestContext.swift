import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore
import NIOCore
import Synchronization

/// What a request carries through the middleware: its tenant (from the Host), its browser
/// session or API account (once authenticated), and the client's address.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var tenant: Tenant?
    /// Who asks: the session cookie (pages) or the bearer token (API), checked by the
    /// middleware, or by the route's use case in its own transaction (`Caller`).
    public var caller: Caller?
    /// The request's path and query (`LanguageMiddleware`), for the language switch.
    public var returnPath = "/"
    /// The peer's IP address, for throttling and the audit log.
    public let remoteIP: String?
    /// Shared by every copy of the context, so that the request's log line, written by the
    /// outermost middleware, can name what inner ones learnt (the tenant).
    let notes = RequestNotes()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.tenant = nil
        self.caller = nil
        self.remoteIP = source.channel.remoteAddress?.ipAddress
    }

    /// The signed-in browser session, once checked (pages only; the API never reads cookies).
    public var session: SessionStore.Current? { caller?.session }

    /// The account behind a bearer token, once checked (API only).
    public var apiAccount: Account? {
        guard case .bearer(let account) = caller?.found else { return nil }
        return account
    }

    /// The tenant; only routes behind `TenantMiddleware` may ask.
    public func requireTenant() throws -> Tenant {
        guard let tenant else { throw HTTPError(.notFound) }
        return tenant
    }

    /// A signed-in staff member (any staff role reads; `writing` needs the direction), or
    /// 403; anonymous visitors are sent to the login page.
    public func requireStaff(_ request: Request, writing: Bool = false) throws -> Account {
        let account = try requireAccount(request)
        guard account.role.mayManage(writing: writing) else {
            throw HTTPError(.forbidden, message: tr("AppRequestContext.cette_page_est_reservee_a"))
        }
        return account
    }

    /// Who asks a page that checks its caller in its use case's transaction (a route behind
    /// the deferred `SessionMiddleware`); without a cookie, the login page.
    public func requireCaller(_ request: Request) throws -> Caller {
        guard let caller else { throw LoginRequired(next: request.uri.path) }
        return caller
    }

    /// The signed-in parent of a page request (tenant, account, family), a redirect to the
    /// login page, or 403 for staff: the family pages are the families'.
    public func requireParent(_ request: Request) throws -> (tenant: Tenant, account: Account, familyID: Int) {
        let tenant = try requireTenant()
        let account = try requireAccount(request)
        guard let family = account.familyID else { throw CallerRefusal.notAParent }
        return (tenant, account, family)
    }

    /// The signed-in account of a page request, or a redirect to the login page.
    public func requireAccount(_ request: Request) throws -> Account {
        guard let account = session?.account else { throw LoginRequired(next: request.uri.path) }
        return account
    }
}

/// Thrown by pages that need a signed-in person; answered with a redirect to `/login`.
struct LoginRequired: Error, HTTPResponseError {
    let next: String
    var status: HTTPResponse.Status { .seeOther }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        let target = next.hasPrefix("/") && !next.hasPrefix("//") ? next : "/"
        let query = target == "/" ? "" : "?suite=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        return Response(status: .seeOther, headers: [.location: "/login" + query, .cacheControl: "no-store"])
    }
}

/// What inner middleware tell the request's log line. A class: the context is copied on its
/// way in, and the log line is written on the way out of the outermost copy.
final class RequestNotes: Sendable {
    private let slug = Mutex<String?>(nil)

    var tenant: String? {
        get { slug.withLock { $0 } }
        set { slug.withLock { $0 = newValue } }
    }
}
