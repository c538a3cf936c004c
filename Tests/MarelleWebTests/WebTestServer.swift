import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MarelleTestSupport
import MarelleWeb
import NIOCore
import ServiceLifecycle

/// Runs the real application on a loopback port for one test and hands it a client that
/// sends whatever Host header the test names (the test frameworks of HummingbirdTesting
/// pin the authority to `localhost`, and tenancy is all about the Host).
enum WebTestServer {
    static func with<T: Sendable>(
        runtime: Runtime? = nil,
        _ body: @Sendable (WebClient) async throws -> T
    ) async throws -> T {
        let shared = try await TestEnvironment.runtime()
        let runtime = runtime ?? shared
        let renderer = try await PageRenderer()
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "marelle-test")
        logger.logLevel = .warning
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
            let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(20)))
            client.connect()
            do {
                let value = try await body(WebClient(client: client))
                try await client.shutdown()
                await group.triggerGracefulShutdown()
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

    func get(_ path: String, host: String, headers: HTTPFields = [:]) async throws -> TestClient.Response {
        var headers = headers
        headers[HTTPField.Name("Host")!] = host
        return try await client.get(path, headers: headers)
    }
}

extension TestClient.Response {
    var text: String { body.map { String(buffer: $0) } ?? "" }
}
