import Foundation
import HummingbirdTesting
import MarelleTestSupport
import MarelleWeb
import Testing

@Suite("The OpenAPI document")
struct OpenAPITests {
    @Test("every /api/v1 route is in the document, and every operation of the document is a route")
    func sameOperations() async throws {
        let runtime = try await TestEnvironment.runtime()
        let router = WebApplication.router(runtime: runtime, renderer: try await PageRenderer())
        let routes = Set(
            router.routes.map { route -> String in
                let path = route.path.description.split(separator: "/").map {
                    $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0)
                }.joined(separator: "/")
                return "\(route.method.rawValue) /\(path)"
            }.filter { $0.contains(" /api/v1/") })
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let response = try await client.get("/api/v1/openapi.json", host: "\(tenant.slug).localhost")
            #expect(response.status == .ok)
            let document = try #require(response.jsonObject())
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) /api/v1\(path)" } })
            #expect(routes.subtracting(documented).sorted() == [], "routes missing from the document")
            #expect(documented.subtracting(routes).sorted() == [], "operations without a route")
            // Every operation answers problem+json on its errors.
            for (path, methods) in paths {
                for (method, operation) in methods {
                    let responses = try #require(
                        (operation as? [String: Any])?["responses"] as? [String: Any], "\(method) \(path)")
                    #expect(
                        responses.keys.contains { $0.hasPrefix("4") || $0.hasPrefix("5") },
                        "\(method) \(path) has no error response")
                }
            }
        }
    }
}
