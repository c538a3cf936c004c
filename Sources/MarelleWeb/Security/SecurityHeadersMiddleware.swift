import HTTPTypes
import Hummingbird

/// Headers every response carries: pages are never framed, types never sniffed, and the
/// browser sticks to HTTPS. The request id comes back too, so that a parent's report of an
/// error can be found in the logs.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let development: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        }
        if !development {
            response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        }
        response.headers[HTTPField.Name("X-Request-Id")!] = context.id
        return response
    }
}
