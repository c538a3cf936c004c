import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a command and waits for it. Foundation's `Process.waitUntilExit` was seen never to
/// reap its child when called from a test's concurrency thread (the child stayed a zombie
/// and the suite hung), so this spawns with `posix_spawn`, sends output to files rather than
/// pipes (a daemon the command starts cannot hold them open), and `waitpid`s on a thread of
/// its own.
public enum Shell {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let errors: String
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws
        -> Result
    {
        let dir = NSTemporaryDirectory() + "marelle-shell-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outPath = dir + "/out"
        let errPath = dir + "/err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw ShellError(message: "cannot start \(executable): errno \(spawned)") }
        let child = pid
        let status: Int32 = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var raw: Int32 = 0
                while waitpid(child, &raw, 0) == -1 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS, spelled out: Swift does not import the macros.
                let exited = (raw & 0x7f) == 0
                continuation.resume(returning: exited ? (raw >> 8) & 0xff : 128 + (raw & 0x7f))
            }
        }
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: status, output: output, errors: errors)
    }
}

public struct ShellError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension Shell {
    /// The built `marelle` binary against the test database; `environment` adds to or
    /// overrides its settings (another cluster's URL, `MARELLE_CLUSTERS`).
    public static func marelle(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        try await run(
            TestEnvironment.repoRoot + "/.build/debug/marelle", arguments,
            environment: [
                "MARELLE_DATABASE_URL": TestEnvironment.conninfo, "MARELLE_PATHS_SQL": TestEnvironment.repoRoot + "/sql",
                "MARELLE_BASE_DOMAIN": "localhost", "MARELLE_LOG_LEVEL": "error",
            ].merging(environment) { $1 })
    }
}
