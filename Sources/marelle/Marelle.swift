import ArgumentParser
import Foundation
import Logging
import MarelleApp
import MarelleCore
import MarelleDatabase

@main
struct Marelle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marelle",
        abstract: "Portail Familles: the server and the operators' tools.",
        subcommands: [
            Serve.self, Migrate.self, TenantCommand.self, UserCommand.self, FamilyCommand.self, BackupCommand.self,
            RestoreCommand.self,
            DemoCommand.self, LoadFixtureCommand.self, InvoicesCommand.self,
        ])
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (JSON, shaped like config.example.json). Defaults to $MARELLE_CONFIG.")
    var config: String?

    func runtime() throws -> Runtime {
        let configuration = try ConfigurationLoader.load(path: config, environment: ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
            return handler
        }
        return try Runtime(configuration: configuration)
    }
}

/// Who ran the command, for the operators' audit.
var operatorName: String {
    let env = ProcessInfo.processInfo.environment
    return env["SUDO_USER"] ?? env["USER"] ?? env["LOGNAME"] ?? "operator"
}

/// Runs a command body; any error becomes one line on stderr and a non-zero exit.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as DatabaseError where error.sqlState == "3F000" || error.sqlState == "42P01" {
        FileHandle.standardError.write(
            Data("marelle: the database is not migrated (\(error.message)): run `marelle migrate` first\n".utf8))
        throw ExitCode.failure
    } catch {
        FileHandle.standardError.write(Data("marelle: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
