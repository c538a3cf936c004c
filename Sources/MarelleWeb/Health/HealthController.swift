import Hummingbird
import Logging
import MarelleApp

/// `GET /healthz`: 200 `ok` when the database answers, 503 otherwise. For the proxy and
/// the process supervisor; it shows no tenant data and works on any host.
struct HealthController {
    let availability: Availability

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, context in
            do {
                try await availability.check()
                return Self.text(.ok, "ok\n")
            } catch {
                context.logger.warning("health check failed", metadata: ["error": "\(error)"])
                return Self.text(.serviceUnavailable, "unavailable\n")
            }
        }
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
