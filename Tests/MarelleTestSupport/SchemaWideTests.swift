/// Tests that touch every schema of the shared test database at once (`marelle migrate` and
/// `migrateAll` over all associations, a restore beside the original, counts of orphan schemas)
/// run one at a time: a migrate that reached a restore's still-empty schema before its load
/// filled it made both fail ("relation already exists", seen in the suite), and a restore
/// dropping its failed copy showed as an orphan schema to the count. Other tests, which touch
/// only their own association, run beside them as before.
public enum SchemaWideTests {
    private static let gate = Gate()

    public static func oneAtATime<T>(_ body: () async throws -> T) async throws -> T {
        await gate.enter()
        do {
            let value = try await body()
            await gate.leave()
            return value
        } catch {
            await gate.leave()
            throw error
        }
    }

    private actor Gate {
        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func enter() async {
            guard busy else {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
    }
}
