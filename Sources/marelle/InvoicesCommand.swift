import ArgumentParser
import Foundation
import MarelleApp
import MarelleCore
import MarelleStore

struct InvoicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "Invoicing of an association: preview or issue a month's invoices.",
        subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Issue the month's invoices (one per family, numbered without gaps); --dry-run shows the preview only. Running a month again issues only what is not invoiced yet."
        )

        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "The association's slug.") var tenant: String
        @Option(name: .long, help: "The month, YYYY-MM.") var month: String
        @Flag(name: .long, help: "Show the preview and issue nothing.") var dryRun = false

        func run() async throws {
            try await reportingErrors {
                guard let chosen = Month(iso: month) else { throw TenantErrorLine("--month must be YYYY-MM, e.g. 2027-02") }
                let runtime = try options.runtime()
                let target = try await runtime.tenants.require(slug: tenant)
                let billing = runtime.useCases.billing
                if dryRun {
                    let preview = try await billing.preview(tenant: target, month: chosen)
                    for draft in preview.drafts {
                        print("\(draft.familyName)\t\(draft.lines.count) lines\t\(Money(cents: draft.totalCents))")
                    }
                    print(
                        "\(target.slug) \(chosen): \(preview.drafts.count) invoices to issue, \(preview.lineCount) lines, total \(Money(cents: preview.totalCents)); \(preview.undecided) dates still undecided"
                    )
                } else {
                    let run = try await billing.issue(tenant: target, actor: .operator(operatorName), month: chosen, ip: nil)
                    let range = run.numbers.first.map { " (\($0) to \(run.numbers.last ?? $0))" } ?? ""
                    print(
                        "\(target.slug) \(chosen): \(run.invoiceCount) invoices issued\(range), total \(Money(cents: run.totalCents))"
                    )
                }
                await runtime.shutdown()
            }
        }
    }
}
