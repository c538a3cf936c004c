import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MarelleTestSupport
import MarelleWeb
import NIOCore
import ServiceLifecycle
import Testing

/// Runs the real application on a loopback port for one test and hands it a client that
/// sends whatever Host header the test names (the test frameworks of HummingbirdTesting
/// pin the authority to `localhost`, and tenancy is all about the Host). Any 5xx the server
/// answers fails the test, but for the statuses in `expecting` (a test that takes the database
/// away, say).
enum WebTestServer {
    static func with<T: Sendable>(
        runtime: Runtime? = nil,
        expecting serverErrors: Set<Int> = [],
        _ body: @Sendable (WebClient) async throws -> T
    ) async throws -> T {
        let shared = try await TestEnvironment.runtime()
        let runtime = runtime ?? shared
        let renderer = try await PageRenderer()
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let watch = ServerErrorWatch()
        let logger = watch.logger(label: "marelle-test")
        let app = Application(
            router: WebApplication.router(runtime: runtime, renderer: renderer),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var port = 0
            for await p in ports { port = p }
            // A minute, not less: the debug-built multipart parser reads about 2 MB/s, and a 10 MB upload
            // shares two cores with the rest of the suite (CI timed out at 20 s).
            let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60)))
            client.connect()
            do {
                let value = try await body(WebClient(client: client, port: port))
                try await client.shutdown()
                await group.triggerGracefulShutdown()
                for failure in watch.failures(allowing: serverErrors) {
                    Issue.record("the server answered a 5xx: \(failure)")
                }
                return value
            } catch {
                try? await client.shutdown()
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }
}

struct WebClient: Sendable {
    let client: TestClient
    /// The server's loopback port, for tests that need a raw socket.
    let port: Int

    func get(_ path: String, host: String, headers: HTTPFields = [:], cookies: [String: String] = [:]) async throws
        -> TestClient.Response
    {
        try await client.get(path, headers: Self.headers(host, headers, cookies))
    }

    /// A form post as a browser sends it from the same origin (unless `headers` says otherwise).
    func post(
        _ path: String, host: String, form: [String: String], cookies: [String: String] = [:], headers: HTTPFields = [:]
    ) async throws -> TestClient.Response {
        var all = Self.headers(host, headers, cookies)
        all[.contentType] = "application/x-www-form-urlencoded"
        if headers[HTTPField.Name("Sec-Fetch-Site")!] == nil && headers[HTTPField.Name("Origin")!] == nil {
            all[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
        }
        let body = form.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await client.post(path, headers: all, body: ByteBuffer(string: body))
    }

    func json(_ method: HTTPRequest.Method, _ path: String, host: String, body: String? = nil, token: String? = nil) async throws
        -> TestClient.Response
    {
        var headers = Self.headers(host, [:], [:])
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        let buffer = ByteBuffer(string: body ?? "")
        switch method {
        case .post: return try await client.post(path, headers: headers, body: buffer)
        case .delete: return try await client.delete(path, headers: headers, body: buffer)
        case .put: return try await client.put(path, headers: headers, body: buffer)
        default: return try await client.get(path, headers: headers)
        }
    }

    static func headers(_ host: String, _ extra: HTTPFields, _ cookies: [String: String]) -> HTTPFields {
        var headers = extra
        headers[HTTPField.Name("Host")!] = host
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return headers
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension TestClient.Response {
    var text: String { body.map { String(buffer: $0) } ?? "" }

    /// Cookies set by the response, name to value (an expired one maps to "").
    var setCookies: [String: String] {
        var result: [String: String] = [:]
        for header in headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            result[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        return result
    }

    /// The value of `<input type="hidden" name="NAME" value="...">` in the page.
    func hiddenField(_ name: String) -> String? {
        guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = text[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    func jsonObject() -> [String: Any]? {
        body.flatMap { try? JSONSerialization.jsonObject(with: Data($0.readableBytesView)) as? [String: Any] }
    }

    func jsonArray() -> [[String: Any]]? {
        body.flatMap { try? JSONSerialization.jsonObject(with: Data($0.readableBytesView)) as? [[String: Any]] }
    }
}
