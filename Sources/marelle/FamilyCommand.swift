import ArgumentParser
import Foundation
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore

struct FamilyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "family",
        abstract: "Families of an association: create, import from CSV, erase.",
        subcommands: [Create.self, Import.self, Erase.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a family and invite its parent, who receives a link to choose a password.")

        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "The association's slug.") var tenant: String
        @Option(name: .long, help: "The family's name.") var name: String
        @Option(name: .long, help: "The parent's e-mail address.") var parentEmail: String

        func run() async throws {
            try await reportingErrors {
                let runtime = try options.runtime()
                let target = try await runtime.tenants.require(slug: tenant)
                do {
                    let (account, _) = try await runtime.invitations.invite(
                        tenant: target, email: parentEmail, role: .parent, familyName: name, by: .operator(operatorName))
                    print(
                        "created family \(account.familyID ?? 0) '\(name.trimmingCharacters(in: .whitespaces))' in \(target.slug); invitation to \(account.email) is in the outbox"
                    )
                } catch let failure as InvitationService.Failure {
                    throw TenantErrorLine(failure.message)
                }
                await runtime.shutdown()
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import families, parents and children from a CSV file (columns in the README); nothing is imported if a row is wrong."
        )

        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "The association's slug.") var tenant: String
        @Argument(help: "The CSV file (UTF-8, comma or semicolon separated).") var file: String

        func run() async throws {
            try await reportingErrors {
                guard let data = FileManager.default.contents(atPath: file) else { throw TenantErrorLine("cannot read \(file)") }
                guard let csv = String(data: data, encoding: .utf8) else {
                    throw TenantErrorLine("\(file) is not UTF-8 text: export it as \"CSV UTF-8\"")
                }
                let runtime = try options.runtime()
                let target = try await runtime.tenants.require(slug: tenant)
                do {
                    let report = try await FamilyImport(runtime: runtime).run(
                        tenant: target, csv: csv, by: .operator(operatorName), today: ParisClock.date(of: Date()))
                    print(
                        "imported \(report.families) families, \(report.guardians) guardians, \(report.children) children into \(target.slug); \(report.invitations) invitations are in the outbox"
                    )
                } catch let failure as FamilyImport.Failure {
                    await runtime.shutdown()
                    throw TenantErrorLine("nothing imported:\n" + failure.lines.joined(separator: "\n"))
                }
                await runtime.shutdown()
            }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a family and everything about it (its right to erasure); prints what was removed.")

        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "The association's slug.") var tenant: String
        @Option(name: .long, help: "The family's id (shown on its staff page and by the API).") var family: Int
        @Flag(name: .long, help: "Confirm: the erasure cannot be undone.") var yes = false

        func run() async throws {
            try await reportingErrors {
                guard yes else { throw TenantErrorLine("erasing family \(family) cannot be undone: run again with --yes") }
                let runtime = try options.runtime()
                let target = try await runtime.tenants.require(slug: tenant)
                let erased = try await runtime.database.withTenant(try target.scope()) { tx -> FamilyRecords.Erasure? in
                    guard let erased = try FamilyRecords().erase(tx, familyID: family) else { return nil }
                    try AuditLog().record(
                        tx, actor: .operator(operatorName), action: "family.erase",
                        detail: Dictionary(
                            uniqueKeysWithValues: erased.counts.map { ($0.0, String($0.1)) }))
                    return erased
                }
                await runtime.shutdown()
                guard let erased else { throw TenantErrorLine("no family \(family) in \(target.slug)") }
                print("erased family \(family) from \(target.slug):")
                for (label, count) in erased.counts { print("  \(label): \(count)") }
            }
        }
    }
}
