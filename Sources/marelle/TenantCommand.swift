import ArgumentParser
import Foundation
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create, list, enable and disable associations, and give them extra host names.",
        subcommands: [Create.self, CreateMany.self, List.self, TenantMove.self, Disable.self, Enable.self, AddHost.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an association: its schema t_<id>, its own role, and its tables.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The slug, a DNS label: the association answers at <slug>.<base domain>.")
        var slug: String
        @Option(name: .long, help: "The association's name as parents see it.")
        var name: String

        func run() async throws {
            try await reportingErrors {
                let runtime = try options.runtime()
                let tenant = try await runtime.tenants.create(slug: slug, displayName: name, operator: operatorName)
                print("created \(tenant.slug) (\(tenant.displayName)) in schema \(tenant.schemaName)")
                await runtime.shutdown()
            }
        }
    }

    /// Onboarding many associations at once (and `make bench-tenants`): PREFIX-1 ... PREFIX-N,
    /// each created whole in its own transaction, in one process.
    struct CreateMany: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-many",
            abstract: "Create associations PREFIX-1 to PREFIX-N (skipping slugs that exist), each in its own transaction.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The slugs' prefix.") var prefix: String
        @Option(name: .long, help: "How many.") var count: Int
        @Option(name: .long, help: "The name of each; its number is added.") var name: String

        func run() async throws {
            try await reportingErrors {
                guard (1...10_000).contains(count) else { throw TenantErrorLine("--count must be between 1 and 10000") }
                let runtime = try options.runtime()
                let existing = Set(try await runtime.tenants.list().map(\.slug))
                var created = 0
                for n in 1...count where !existing.contains("\(prefix)-\(n)") {
                    _ = try await runtime.tenants.create(
                        slug: "\(prefix)-\(n)", displayName: "\(name) \(n)", operator: operatorName)
                    created += 1
                }
                print("created \(created) associations (\(count - created) existed)")
                await runtime.shutdown()
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every association with its schema and status.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await reportingErrors {
                let runtime = try options.runtime()
                for tenant in try await runtime.tenants.list() {
                    let hosts = try await runtime.tenants.hosts(of: tenant)
                    let extra = hosts.isEmpty ? "" : " " + hosts.joined(separator: ",")
                    print("\(tenant.slug) \(tenant.schemaName) \(tenant.status.rawValue) \"\(tenant.displayName)\"\(extra)")
                }
                await runtime.shutdown()
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take an association offline: its hosts answer 404; nothing is deleted.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The association's slug.") var slug: String

        func run() async throws {
            try await TenantCommand.setStatus(options, slug, .disabled)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bring a disabled association back online.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The association's slug.") var slug: String

        func run() async throws {
            try await TenantCommand.setStatus(options, slug, .active)
        }
    }

    struct AddHost: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-host",
            abstract: "Serve an association on one more host name (its own domain, say).")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The association's slug.") var slug: String
        @Argument(help: "The host name, e.g. portail.ville-exemple.fr.") var host: String

        func run() async throws {
            try await reportingErrors {
                let runtime = try options.runtime()
                if case .slug = HostName.resolve(host, baseDomain: runtime.configuration.baseDomain) {
                    throw TenantErrorLine("'\(host)' is under the base domain: it already names a tenant by its first label")
                }
                let added = try await runtime.tenants.addHost(slug: slug, host: host, operator: operatorName)
                print("\(slug) now also answers at \(added)")
                await runtime.shutdown()
            }
        }
    }

    static func setStatus(_ options: GlobalOptions, _ slug: String, _ status: Tenant.Status) async throws {
        try await reportingErrors {
            let runtime = try options.runtime()
            let changed = try await runtime.tenants.setStatus(slug: slug, status, operator: operatorName)
            print(changed ? "\(slug) is now \(status.rawValue)" : "\(slug) was already \(status.rawValue)")
            await runtime.shutdown()
        }
    }
}

struct TenantErrorLine: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
