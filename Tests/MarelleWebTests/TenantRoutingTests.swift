import HTTPTypes
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import MarelleWeb
import Testing

@Suite("Tenants by host over HTTP")
struct TenantRoutingTests {
    @Test("a tenant's home page shows the association's name, in French, with the security headers")
    func home() async throws {
        let tenant = try await TestEnvironment.makeTenant(name: "Les Petits Malins & Cie")
        try await WebTestServer.with { client in
            let response = try await client.get("/", host: "\(tenant.slug).localhost:8080")
            #expect(response.status == .ok)
            #expect(response.text.contains("<h1>Les Petits Malins &amp; Cie</h1>"))
            #expect(response.text.contains("<html lang=\"fr\">"))
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(response.headers[HTTPField.Name("Referrer-Policy")!] != nil)
            #expect(response.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
        }
    }

    @Test(
        "unknown, disabled, nested and foreign hosts get a bare 404 that names no tenant",
        arguments: [
            "unknown", "disabled", "nested", "evil",
        ])
    func notFound(kind: String) async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant(name: "Centre Secret \(kind)")
        let host =
            switch kind {
            case "unknown": "nope-\(tenant.id).localhost"
            case "disabled": "\(tenant.slug).localhost"
            case "nested": "a.\(tenant.slug).localhost"
            default: "evil.com"
            }
        if kind == "disabled" { try await runtime.tenants.setStatus(slug: tenant.slug, .disabled, operator: "t") }
        try await WebTestServer.with { client in
            for path in ["/", "/static/marelle.css", "/nothing-here"] {
                let response = try await client.get(path, host: host)
                #expect(response.status == .notFound)
                #expect(!response.text.contains("Centre Secret"))
            }
        }
    }

    @Test("an extra host name serves its tenant, case-insensitively and whatever the port")
    func extraHost() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant(name: "Mairie de Test")
        let host = "portail-\(tenant.id).mairie-test.fr"
        _ = try await runtime.tenants.addHost(slug: tenant.slug, host: host, operator: "t")
        try await WebTestServer.with { client in
            let response = try await client.get("/", host: host.uppercased() + ":443")
            #expect(response.status == .ok)
            #expect(response.text.contains("Mairie de Test"))
        }
    }

    @Test("/healthz says ok when the database answers")
    func healthy() async throws {
        try await WebTestServer.with { client in
            let response = try await client.get("/healthz", host: "localhost")
            #expect(response.status == .ok)
            #expect(response.text == "ok\n")
        }
    }

    @Test("/healthz answers 503 when the database does not, and tenants get 503 with Retry-After, not a crash")
    func unhealthy() async throws {
        var configuration = TestEnvironment.configuration()
        configuration.database.url = "host=/nonexistent-socket-dir dbname=none user=none connect_timeout=2"
        let runtime = try Runtime(configuration: configuration)
        try await WebTestServer.with(runtime: runtime, expecting: [503]) { client in
            let health = try await client.get("/healthz", host: "localhost")
            #expect(health.status == .serviceUnavailable)
            let home = try await client.get("/", host: "anything.localhost")
            #expect(home.status == .serviceUnavailable && home.headers[.retryAfter] == "2")
            #expect(home.text.contains("Service momentanément indisponible"))
            let api = try await client.json(.get, "/api/v1/me", host: "anything.localhost", token: "x")
            #expect(api.status == .serviceUnavailable && api.headers[.contentType] == "application/problem+json")
        }
        await runtime.shutdown()
    }
}
