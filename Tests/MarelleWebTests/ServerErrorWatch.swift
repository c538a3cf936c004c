import Foundation
import Logging
import Synchronization

/// The test server's log handler: it keeps every request the server answered with a 5xx (from
/// the one line per request that `RequestLogMiddleware` writes) so that `WebTestServer` can
/// fail the test, whatever the test itself checked. No input may yield a 5xx; the few tests
/// that cause one on purpose (a database that is gone, a full Argon2 queue, a maintenance
/// window) name the statuses they expect. Warnings and errors still reach standard error.
final class ServerErrorWatch: Sendable {
    private let seen = Mutex<[(status: Int, line: String)]>([])

    /// The 5xx answers seen, but for the statuses a test expects.
    func failures(allowing allowed: Set<Int>) -> [String] {
        seen.withLock { $0.filter { !allowed.contains($0.status) }.map(\.line) }
    }

    func logger(label: String) -> Logger {
        Logger(label: label) { _ in Handler(watch: self) }
    }

    fileprivate func record(_ status: Int, _ line: String) {
        seen.withLock { $0.append((status, line)) }
    }

    private struct Handler: LogHandler {
        let watch: ServerErrorWatch
        var metadata: Logger.Metadata = [:]
        // Info, so that the per-request line (which carries the status) reaches the watch.
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            if event.message.description == "request", let status = all["status"].flatMap({ Int("\($0)") }), status >= 500 {
                watch.record(status, "\(all["method"] ?? "?") \(all["route"] ?? "?") answered \(status)")
            }
            if event.level >= .warning {
                FileHandle.standardError.write(Data("\(event.level) \(event.message) \(all)\n".utf8))
            }
        }
    }
}
