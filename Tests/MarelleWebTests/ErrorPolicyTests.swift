import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarelleTestSupport
import Testing

@testable import MarelleWeb

@Suite("The error policy: French pages, problem+json under /api, HEAD, one log line per request")
struct ErrorPolicyTests {
    @Test("an unknown page is a French 404 with a way home; under /api it is problem+json")
    func notFound() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let page = try await client.get("/cette-page-n-existe-pas", host: host)
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("<h1>Page introuvable</h1>"))
            #expect(page.text.contains("href=\"/\""))
            #expect(!page.text.contains("{\"error\""))
            let api = try await client.json(.get, "/api/v1/rien-ici", host: host)
            #expect(api.status == .notFound)
            #expect(api.headers[.contentType] == "application/problem+json")
            let problem = try #require(api.jsonObject())
            #expect(problem["status"] as? Int == 404)
            #expect((problem["title"] as? String)?.isEmpty == false)
        }
    }

    @Test("a parent on a staff page is told, in French, that access is refused")
    func forbidden() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let page = try await family.get(client, "/gestion/activites")
            #expect(page.status == .forbidden)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("<h1>Accès refusé</h1>"))
            #expect(page.text.contains("Cette page est réservée"))
        }
    }

    @Test("an API body past its 64 KiB limit is a 413 in problem+json")
    func tooLarge() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        try await WebTestServer.with { client in
            let body = "{\"email\": \"" + String(repeating: "a", count: 70_000) + "\", \"password\": \"x\"}"
            let response = try await client.json(.post, "/api/v1/auth/login", host: "\(tenant.slug).localhost", body: body)
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.jsonObject()?["status"] as? Int == 413)
        }
    }

    @Test("HEAD answers wherever GET does, with GET's headers and no body")
    func head() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            for path in ["/", "/login", "/static/marelle.css"] {
                let get = try await client.get(path, host: host)
                let head = try await client.client.head(path, headers: WebClient.headers(host, [:], [:]))
                #expect(head.status == get.status, "\(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                #expect((head.body?.readableBytes ?? 0) == 0, "\(path)")
            }
            let missing = try await client.client.head("/introuvable", headers: WebClient.headers(host, [:], [:]))
            #expect(missing.status == .notFound)
        }
    }

    @Test("a failure nobody foresaw is a 500 page with the request id, or a 500 problem under /api, and is logged with its cause")
    func unforeseen() async throws {
        struct Unforeseen: Error {}
        let renderer = try await PageRenderer()
        let router = Router()
        router.add(middleware: ErrorPolicyMiddleware(pages: ErrorPages(renderer: renderer)))
        router.get("/boom") { _, _ -> Response in throw Unforeseen() }
        router.get("/api/v1/boom") { _, _ -> Response in throw Unforeseen() }
        try await Application(router: router).test(.router) { client in
            let page = try await client.execute(uri: "/boom", method: .get)
            #expect(page.status == .internalServerError)
            let html = String(buffer: page.body)
            #expect(html.contains("<h1>Une erreur est survenue</h1>"))
            #expect(html.contains("Numéro de la demande"))
            #expect(!html.contains("Unforeseen"))
            let api = try await client.execute(uri: "/api/v1/boom", method: .get)
            #expect(api.status == .internalServerError)
            #expect(api.headers[.contentType] == "application/problem+json")
            let problem = try JSONSerialization.jsonObject(with: Data(api.body.readableBytesView)) as? [String: Any]
            #expect((problem?["instance"] as? String)?.hasPrefix("urn:marelle:request:") == true)
            #expect(!String(buffer: api.body).contains("Unforeseen"))
        }
    }
}
