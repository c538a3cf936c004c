import Foundation
import HummingbirdTesting
import MarelleTestSupport
import NIOCore

/// A real `marelle serve` process on a loopback port of its own, against the test database:
/// for tests of what several processes share (only PostgreSQL). Started when its log says it
/// listens; killed by `stop`.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let client: WebClient

    /// Connects the client: call once the process listens.
    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(20)))
        client.connect()
        self.client = WebClient(client: client, port: port)
    }

    static func start() async throws -> ServerProcess {
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.repoRoot + "/.build/debug/marelle")
        process.arguments = ["serve"]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "MARELLE_DATABASE_URL": TestEnvironment.conninfo, "MARELLE_PATHS_SQL": TestEnvironment.repoRoot + "/sql",
            "MARELLE_BASE_DOMAIN": "localhost", "MARELLE_DEVELOPMENT": "true", "MARELLE_MAIL_MODE": "capture",
            "MARELLE_HTTP_PUBLIC_SCHEME": "https", "MARELLE_HTTP_HOST": "127.0.0.1", "MARELLE_HTTP_PORT": String(port),
            "MARELLE_LOG_LEVEL": "info", "MARELLE_DATABASE_POOL_SIZE": "4",
            "MARELLE_PAYMENTS_KEY": TestEnvironment.paymentsKey, "MARELLE_SECOND_FACTOR_KEY": TestEnvironment.secondFactorKey,
            // Their workers would deliver other tests' mails; the test runs workers itself.
            "MARELLE_MAIL_DELIVER": "false",
        ]) { $1 }
        let log = Pipe()
        process.standardError = log
        process.standardOutput = log
        // Ready when Hummingbird logs that it listens (its log, not a timer, says so).
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let seen = Seen()
            log.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    if seen.first() {
                        continuation.resume(throwing: ServerProcessError(message: "marelle serve stopped before listening"))
                    }
                    return
                }
                if String(decoding: data, as: UTF8.self).contains("listening"), seen.first() { continuation.resume() }
            }
            do { try process.run() } catch { if seen.first() { continuation.resume(throwing: error) } }
        }
        return ServerProcess(process: process, port: port)
    }

    /// SIGKILL, as a crash: no graceful shutdown, requests in flight unanswered.
    func kill() {
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() async {
        try? await client.client.shutdown()
        process.terminate()
        process.waitUntilExit()
    }

    /// Resumes a continuation once.
    private final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        func first() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if done { return false }
            done = true
            return true
        }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else {
                    throw ServerProcessError(message: "no free port")
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ServerProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
