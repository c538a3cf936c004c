import ArgumentParser
import MarelleApp
import MarelleCore
import MarelleStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill an association with demo data (accounts, periods, activities, prices). Running it twice changes nothing.")

    @OptionGroup var options: GlobalOptions
    @Option(name: .long, help: "The association's slug.") var tenant: String

    func run() async throws {
        try await reportingErrors {
            let runtime = try options.runtime()
            let target = try await runtime.tenants.require(slug: tenant)
            let report = try await DemoSeeder(runtime: runtime).seed(tenant: target)
            for line in report.created { print("created \(line)") }
            if report.created.isEmpty { print("\(target.slug) already has its demo data") }
            print("direction: \(DemoSeeder.directionEmail) / \(DemoSeeder.directionPassword)")
            print("parent:    \(DemoSeeder.parentEmail) / \(DemoSeeder.parentPassword)")
            await runtime.shutdown()
        }
    }
}
