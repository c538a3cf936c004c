import Hummingbird
import Logging
import MarelleCore
import MarelleStore

/// Resolves the tenant from the Host header before anything else runs. An unknown or
/// disabled host gets a bare 404 that names no tenant, and no tenant SQL runs for it.
struct TenantMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let registry: TenantRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority ?? ""
        guard let tenant = try await registry.resolve(host: host) else {
            return Response(
                status: .notFound,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Aucune association à cette adresse.\n")))
        }
        var context = context
        context.tenant = tenant
        context.logger[metadataKey: "tenant"] = .string(tenant.slug)
        return try await next(request, context)
    }
}
