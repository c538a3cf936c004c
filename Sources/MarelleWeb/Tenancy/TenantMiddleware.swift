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
                body: .init(byteBuffer: ByteBuffer(string: "Aucune association à cette adresse.\n")))
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

    static let movingMessage =
        "Le portail est en maintenance pour quelques minutes : vos données sont en cours de déplacement. Vous pouvez consulter les pages, mais rien ne peut être enregistré. Réessayez dans un instant."

    static func moving(api: Bool) -> Response {
        if api {
            let body = #"{"type":"about:blank","title":"Maintenance en cours","status":503,"detail":"\#(movingMessage)"}"#
            return Response(
                status: .serviceUnavailable, headers: [.contentType: "application/problem+json", .retryAfter: "60"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let page = """
            <!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Maintenance en cours</title></head><body><main><h1>Maintenance en cours</h1><p>\(movingMessage)</p>
            <p><a href="/">Revenir à l'accueil</a></p></main></body></html>
            """
        return Response(
            status: .serviceUnavailable, headers: [.contentType: "text/html; charset=utf-8", .retryAfter: "60"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}
