import Foundation

/// A PostgreSQL cluster of a test's own, for tests that stop or restart the server and must
/// not disturb the shared test cluster. Driven by Deploy/dev/pg-cluster.sh, the same script
/// `make run` uses.
public struct ScratchCluster: Sendable {
    public let directory: String
    public let conninfo: String

    public static func start() async throws -> ScratchCluster {
        let base = ProcessInfo.processInfo.environment["MARELLE_TEST_WORKDIR"] ?? NSTemporaryDirectory()
        let directory = base + "/scratch-" + UUID().uuidString.prefix(8).lowercased()
        let conninfo = try await run(["start", directory, "scratch"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return ScratchCluster(directory: directory, conninfo: conninfo)
    }

    public func restart() async throws { try await Self.run(["restart", directory]) }
    public func stop() async throws { try await Self.run(["stop", directory]) }

    public func destroy() async {
        _ = try? await Self.run(["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    static func run(_ arguments: [String]) async throws -> String {
        let result = try await Shell.run(TestEnvironment.repoRoot + "/Deploy/dev/pg-cluster.sh", arguments)
        guard result.status == 0 else { throw ScratchClusterError(message: result.errors) }
        return result.output
    }
}

public struct ScratchClusterError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "pg-cluster.sh failed: \(message)" }
}
