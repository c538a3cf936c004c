import ArgumentParser
import MarelleApp
import MarelleDatabase

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upgrade the control schema, then every tenant schema, printing each with its version.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await reportingErrors {
            let runtime = try options.runtime()
            try await runtime.migrateAll { schema, version in
                print("\(schema)\tversion \(version)")
            }
            await runtime.shutdown()
        }
    }
}
