import ArgumentParser
import Foundation
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

struct InvoicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "Invoicing of an association: preview or issue a month's invoices; the year's tax certificates.",
        subcommands: [Run.self, TaxCertificates.self])

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

    struct TaxCertificates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tax-certificates",
            abstract:
                "Write every family's tax certificate of a year (childcare paid for children under 6 on 1 January) to one PDF, a page per family."
        )

        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "The association's slug.") var tenant: String
        @Option(name: .long, help: "The year, YYYY (last year by default).") var year: Int?
        @Option(name: .long, help: "The PDF file to write.") var output: String

        func run() async throws {
            try await reportingErrors {
                let today = ParisClock.date(of: Date())
                let chosen = year ?? today.year - 1
                guard (2000...today.year).contains(chosen) else {
                    throw TenantErrorLine("--year must be between 2000 and \(today.year)")
                }
                let runtime = try options.runtime()
                let target = try await runtime.tenants.require(slug: tenant)
                let certificates = try await runtime.useCases.billingDocuments.taxCertificates(
                    tenant: target, year: chosen, familyID: nil)
                let pdf = try TaxCertificatePDF.render(certificates, today: today)
                try Data(pdf).write(to: URL(fileURLWithPath: output))
                print("\(target.slug) \(chosen): \(certificates.families.count) families' tax certificates written to \(output)")
                await runtime.shutdown()
            }
        }
    }
}
