import Hummingbird
import Logging
import MarelleApp

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
                    status: .serviceUnavailable, title: "Service momentanément indisponible",
                    detail: "Réessayez dans quelques secondes : rien n'a été enregistré.", retryAfter: 2
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
                            <!DOCTYPE html><html lang="fr"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                            <title>Service momentanément indisponible</title><h1>Service momentanément indisponible</h1>
                            <p>Rien n'a été enregistré : réessayez dans quelques secondes.</p></html>
                            """)))
        }
    }
}
