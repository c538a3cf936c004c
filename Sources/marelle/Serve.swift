import ArgumentParser
import Hummingbird
import Logging
import MarelleApp
import MarelleWeb

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve every tenant over HTTP until SIGTERM or SIGINT.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await reportingErrors {
            MemoryReturn.configure()
            let runtime = try options.runtime()
            var logger = Logger(label: "marelle")
            logger.logLevel = Logger.Level(rawValue: runtime.configuration.logLevel) ?? .info
            let app = try await WebApplication.make(runtime: runtime, logger: logger)
            try await app.runService()
        }
    }
}
