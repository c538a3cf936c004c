import ArgumentParser
import Foundation
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore

/// `marelle backup`: one association in one file, or every association in a folder. The file
/// is the plain SQL of `pg_dump --schema` (no owners, no grants), read in one snapshot, under
/// a first line `-- marelle-backup: {...}` that carries its control rows (slug, name, status,
/// extra hosts) and the row count and checksum of every table, taken in that same snapshot.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write an association (schema and control rows) to a file, or every association to a folder.")

    @OptionGroup var options: GlobalOptions
    @Option(name: .long, help: "The association's slug.") var tenant: String?
    @Flag(name: .long, help: "Every association, one file each (<slug>.sql) in the --out folder.") var allTenants = false
    @Option(name: .long, help: "The file (or, with --all-tenants, the folder) to write.") var out: String

    func validate() throws {
        guard (tenant != nil) != allTenants else { throw ValidationError("give --tenant SLUG or --all-tenants, not both") }
    }

    func run() async throws {
        try await reportingErrors {
            let runtime = try options.runtime()
            let tenants = allTenants ? try await runtime.tenants.list() : [try await runtime.tenants.require(slug: tenant!)]
            if allTenants { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
            for target in tenants {
                let path = allTenants ? "\(out)/\(target.slug).sql" : out
                let manifest = try await TenantBackup(runtime: runtime).write(target, to: path)
                print(
                    "\(target.slug): \(manifest.tables.count) tables, \(manifest.tables.values.map(\.rows).reduce(0, +)) rows -> \(path)"
                )
            }
            await runtime.shutdown()
        }
    }
}

/// `marelle restore`: a backup file into this configuration's database, under its own slug or
/// `--as` another (a copy beside the original). The tenant gets a new id, schema and role;
/// the copy is checked table by table against the file's checksums before the command says
/// so, and removed again if anything differs.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore an association from a `marelle backup` file, checked against its checksums.")

    @OptionGroup var options: GlobalOptions
    @Option(name: .long, help: "The backup file.") var file: String
    @Option(name: .customLong("as"), help: "Restore under this slug instead of the original one.") var newSlug: String?

    func run() async throws {
        try await reportingErrors {
            let runtime = try options.runtime()
            let tenant = try await TenantBackup(runtime: runtime).restore(from: file, as: newSlug)
            print("restored \(tenant.slug) in schema \(tenant.schemaName): every table's rows and checksum match the backup")
            await runtime.shutdown()
        }
    }
}
