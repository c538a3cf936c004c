import HTTPTypes
import Hummingbird
import MarelleCore

/// Refuses cross-site form posts. All tenants share one parent domain, so to a browser
/// `a.example.org` and `b.example.org` are the same *site*: SameSite=Lax alone would let a
/// page of one association post into another's. An unsafe request must come from the same
/// *origin*: `Sec-Fetch-Site: same-origin` (or `none`, typed by the user), or failing that
/// header, an `Origin` equal to the request's own.
struct OriginGuard<Context: RequestContext>: RouterMiddleware {
    static var fetchSite: HTTPField.Name { HTTPField.Name("Sec-Fetch-Site")! }
    static var origin: HTTPField.Name { HTTPField.Name("Origin")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        switch request.method {
        case .get, .head, .options: return try await next(request, context)
        default: break
        }
        guard Self.isSameOrigin(request) else {
            throw HTTPError(.forbidden, message: tr("OriginGuard.requete_refusee_elle_ne_vient"))
        }
        return try await next(request, context)
    }

    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[fetchSite]?.lowercased() {
            return site == "same-origin" || site == "none"
        }
        guard let origin = request.headers[origin]?.lowercased(), let authority = request.head.authority?.lowercased() else {
            return false
        }
        return origin == "https://" + authority || origin == "http://" + authority
    }
}
