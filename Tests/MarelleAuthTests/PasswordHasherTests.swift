import Dispatch
import Testing

@testable import MarelleAuth

@Suite("Argon2id password hashing")
struct PasswordHasherTests {
    @Test("a hash is a PHC string with today's parameters, and verifies only its own password")
    func roundTrip() async throws {
        let hasher = try PasswordHasher(threads: 1)
        let phc = try await hasher.hash("une phrase de passe très longue 🌳")
        #expect(phc.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(try await hasher.verify("une phrase de passe très longue 🌳", against: phc))
        #expect(try await !hasher.verify("une phrase de passe très longue", against: phc))
        #expect(try await !hasher.verify("", against: phc))
        #expect(try await hasher.hash("same") != hasher.hash("same"))  // salted
        await hasher.shutdown()
    }

    @Test("an unknown account still costs a verification and never matches")
    func unknownAccount() async throws {
        let hasher = try PasswordHasher(threads: 1)
        #expect(try await !hasher.verify("marelle-dummy", against: nil))
        await hasher.shutdown()
    }

    @Test("hashes made with weaker parameters are marked for an upgrade")
    func rehash() async throws {
        let weak = try PasswordHasher(parameters: .init(memoryKiB: 8192, iterations: 1, parallelism: 1), threads: 1)
        let strong = try PasswordHasher(threads: 1)
        let old = try await weak.hash("correct horse battery staple")
        #expect(strong.needsRehash(old))
        #expect(!strong.needsRehash(try await strong.hash("correct horse battery staple")))
        #expect(strong.needsRehash("$2b$12$notargon"))
        #expect(try await strong.verify("correct horse battery staple", against: old))
        await weak.shutdown()
        await strong.shutdown()
    }

    @Test("past its threads and queue, the hasher answers busy at once instead of piling up work")
    func bounded() async throws {
        let hasher = try PasswordHasher(threads: 1, queueLimit: 0)
        let gate = DispatchSemaphore(value: 0)
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let occupant = Task {
            try await hasher.admit {
                startedContinuation.yield()
                gate.wait()
            }
        }
        for await _ in started { break }
        #expect(hasher.load == 1)
        await #expect(throws: PasswordHasher.Failure.busy) { try await hasher.hash("anything at all") }
        await #expect(throws: PasswordHasher.Failure.busy) { try await hasher.verify("x", against: nil) }
        gate.signal()
        try await occupant.value as Void
        #expect(hasher.load == 0)
        #expect(try await hasher.hash("free again").hasPrefix("$argon2id$"))
        await hasher.shutdown()
    }
}
