import Hummingbird
import Logging
import MarelleApp
import MarelleCore
import MarelleStore

/// Resolves the tenant from the Host header before anything else runs. An unknown or
/// disabled host gets a bare 404 that names no tenant, and no tenant SQL runs for it.
struct TenantMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let registry: TenantRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let host = request.head.authority ?? ""
        guard let tenant = try await registry.resolve(host: host) else {
            return Response(
                status: .notFound,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: tr("TenantMiddleware.aucune_association_a_cette_adresse"))))
        }
        if tenant.status == .moving, ![.get, .head].contains(request.method) {
            // `marelle tenant move` is copying this association: nothing may be written.
            return Self.moving(api: request.uri.path.hasPrefix("/api/"))
        }
        var context = context
        context.tenant = tenant
        context.logger[metadataKey: "tenant"] = .string(tenant.slug)
        context.notes.tenant = tenant.slug
        return try await next(request, context)
    }

    static var movingMessage: String { tr("TenantMiddleware.le_portail_est_en_maintenance") }

    static func moving(api: Bool) -> Response {
        if api {
            let body = #"{"type":"about:blank","title":"Maintenance en cours","status":503,"detail":"\#(movingMessage)"}"#
            return Response(
                status: .serviceUnavailable, headers: [.contentType: "application/problem+json", .retryAfter: "60"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let page = """
            <!doctype html><html lang="\(Language.current.rawValue)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(tr("TenantMiddleware.maintenance"))</title></head><body><main><h1>\(tr("TenantMiddleware.maintenance"))</h1><p>\(movingMessage)</p>
            <p><a href="/">\(tr("TenantMiddleware.back_home"))</a></p></main></body></html>
            """
        return Response(
            status: .serviceUnavailable, headers: [.contentType: "text/html; charset=utf-8", .retryAfter: "60"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}
