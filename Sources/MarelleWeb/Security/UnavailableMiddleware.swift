import Hummingbird
import Logging
import MarelleApp
import MarelleCore

/// While PostgreSQL is out of reach (restarting, every connection busy), requests get 503
/// with `Retry-After` rather than a bare 500: phones and API clients retry, and nothing was
/// changed, since every change is one transaction.
struct UnavailableMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch  where Availability.isTransient(error) {
            context.logger.warning("database unavailable", metadata: ["error": "\(error)"])
            if request.uri.path.hasPrefix("/api/") {
                var response = try Problem(
                    status: .serviceUnavailable, title: tr("common.service_momentanement_indisponible"),
                    detail: tr("common.reessayez_dans_quelques_secondes_rien"), retryAfter: 2
                )
                .response(from: request, context: context)
                response.headers[.cacheControl] = "no-store"
                return response
            }
            return Response(
                status: .serviceUnavailable,
                headers: [.contentType: "text/html; charset=utf-8", .retryAfter: "2", .cacheControl: "no-store"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: """
                            <!DOCTYPE html><html lang="\(Language.current.rawValue)"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                            <title>\(tr("common.service_momentanement_indisponible"))</title><h1>\(tr("common.service_momentanement_indisponible"))</h1>
                            <p>\(tr("UnavailableMiddleware.nothing_saved_retry"))</p></html>
                            """)))
        }
    }
}
