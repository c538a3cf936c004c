import CArgon2
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Argon2id through the reference libargon2, on a thread pool of its own with a bounded
/// queue: at most `threads` hashes run at once (each takes `memoryKiB` of memory), at most
/// `queueLimit` more wait, and past that `hash`/`verify` fail at once with `.busy`. A login
/// storm thus costs a fixed amount of memory and CPU share, and never starves bookings.
public final class PasswordHasher: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Memory in KiB (OWASP's floor for Argon2id: 19 MiB, two passes, one lane).
        public var memoryKiB: UInt32 = 19_456
        public var iterations: UInt32 = 2
        public var parallelism: UInt32 = 1
        public init() {}
        public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }
    }

    public enum Failure: Error, Equatable {
        /// Too many hashes already running or queued: answer 503/429 and let the client retry.
        case busy
        /// libargon2 refused (it reports out-of-memory and similar here).
        case library(Int32)
    }

    public let parameters: Parameters
    public let threads: Int
    public let queueLimit: Int
    private let pool: NIOThreadPool
    private let admitted = Atomic<Int>(0)
    private let dummyHash: String

    /// `threads` defaults to half the cores: each hash sweeps 19 MiB of memory, and two at
    /// once on a two-core machine evicted PostgreSQL's working set from the caches and
    /// doubled the rush's p99 in `make bench` (with one, see Benchmarks/results/).
    public init(parameters: Parameters = .init(), threads: Int = max(1, System.coreCount / 2), queueLimit: Int? = nil) throws {
        self.parameters = parameters
        self.threads = max(1, threads)
        self.queueLimit = queueLimit ?? self.threads * 8
        self.pool = NIOThreadPool(numberOfThreads: self.threads)
        self.pool.start()
        // A hash of nothing anyone knows, to verify against when the account does not exist,
        // so that "no such e-mail" costs the same time as "wrong password".
        self.dummyHash = try Self.hashNow(password: Array("marelle-dummy".utf8), parameters: parameters)
    }

    /// Hashes in PHC form: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
    public func hash(_ password: String) async throws -> String {
        let parameters = self.parameters
        return try await admit { try Self.hashNow(password: Array(password.utf8), parameters: parameters) }
    }

    /// Checks a password against a PHC string. A nil hash (unknown account, or an account
    /// that has not chosen a password yet) still costs one verification and returns false.
    public func verify(_ password: String, against encoded: String?) async throws -> Bool {
        let target = encoded ?? dummyHash
        let matches = try await admit { () -> Bool in
            let result = target.withCString { argon2id_verify($0, password, password.utf8.count) }
            return result == ARGON2_OK.rawValue
        }
        return encoded != nil && matches
    }

    /// Whether a stored hash was made with weaker parameters than today's, and should be
    /// replaced at the next successful login.
    public func needsRehash(_ encoded: String) -> Bool {
        guard let stored = Self.parameters(of: encoded) else { return true }
        return stored.memoryKiB < parameters.memoryKiB || stored.iterations < parameters.iterations
            || stored.parallelism < parameters.parallelism
    }

    /// Hashes running or waiting, for metrics.
    public var load: Int { admitted.load(ordering: .relaxed) }

    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    deinit {
        // A thread pool must be stopped before it is freed (NIOThreadPool asserts on it, and
        // its threads would otherwise outlive it). Stopping twice is harmless.
        pool.shutdownGracefully { _ in }
    }

    func admit<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let (wasAdmitted, _) = admitted.wrappingAdd(1, ordering: .relaxed)
        defer { admitted.wrappingSubtract(1, ordering: .relaxed) }
        guard wasAdmitted < threads + queueLimit else { throw Failure.busy }
        return try await pool.runIfActive {
            Self.yieldToRequests()
            return try work()
        }
    }

    /// Hashing threads run at a lower CPU priority (nice 10) than the rest of the server and
    /// PostgreSQL: in a login storm they take the idle CPU, not the bookings' (measured by
    /// `make bench`, section 4). On Linux the nice value belongs to the thread, and `who` 0
    /// is the calling thread; harmless to repeat.
    static func yieldToRequests() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    static func hashNow(password: [UInt8], parameters p: Parameters) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = rng.next() }
        let length = argon2_encodedlen(p.iterations, p.memoryKiB, p.parallelism, 16, 32, Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let result = argon2id_hash_encoded(
            p.iterations, p.memoryKiB, p.parallelism, password, password.count, salt, salt.count, 32, &encoded, length)
        guard result == ARGON2_OK.rawValue else { throw Failure.library(result) }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Reads `m`, `t` and `p` back out of a PHC string.
    static func parameters(of encoded: String) -> Parameters? {
        let fields = encoded.split(separator: "$")
        guard fields.count == 5, fields[0] == "argon2id" else { return nil }
        var values: [Substring: UInt32] = [:]
        for pair in fields[2].split(separator: ",") {
            let kv = pair.split(separator: "=")
            if kv.count == 2, let n = UInt32(kv[1]) { values[kv[0]] = n }
        }
        guard let m = values["m"], let t = values["t"], let p = values["p"] else { return nil }
        return Parameters(memoryKiB: m, iterations: t, parallelism: p)
    }
}
