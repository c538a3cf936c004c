import ArgumentParser
import Foundation
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore

/// `marelle tenant move SLUG --to CLUSTER`: an association's schema to another PostgreSQL
/// cluster of the configuration (`main`: the control schema's). The association is read-only
/// meanwhile (pages read, writes get a maintenance page); its tables are share-locked in the
/// transaction whose snapshot pg_dump copies, so no write lands after the copy; the copy is
/// checked table by table; only then does the control row point to the new cluster, and the
/// old schema is dropped once every server has seen the switch.
struct TenantMove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move an association to another PostgreSQL cluster (read-only during the copy, checked before the switch).")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The association's slug.") var slug: String
    @Option(name: .long, help: "The cluster, by its name in `clusters` of the configuration, or `main`.") var to: String

    /// Longer than the tenant registry's memory (2 s): every server process sees a change.
    static let settle: Duration = .seconds(3)

    func run() async throws {
        try await reportingErrors {
            let runtime = try options.runtime()
            let tenant = try await runtime.tenants.require(slug: slug)
            let destination: String? = to == "main" ? nil : to
            guard tenant.status != .moving else { throw TenantErrorLine("\(slug) is already being moved") }
            guard destination != tenant.cluster else { throw TenantErrorLine("\(slug) is already on \(to)") }
            let config = runtime.configuration
            guard let sourceInfo = config.conninfo(cluster: tenant.cluster),
                let targetInfo = config.conninfo(cluster: destination)
            else {
                throw TenantErrorLine("the configuration names no cluster '\(destination ?? tenant.cluster ?? "")'")
            }
            let source = try await runtime.database.holding(try tenant.scope())
            let target = try await runtime.database.holding(
                try TenantScope(schema: tenant.schemaName, role: tenant.roleName, cluster: destination))

            try await runtime.tenants.setStatus(slug: slug, .moving, operator: operatorName)
            do {
                try await Task.sleep(for: Self.settle)
                let dump = NSTemporaryDirectory() + "/marelle-move-\(tenant.schemaName)-\(UUID().uuidString.prefix(8)).sql"
                defer { try? FileManager.default.removeItem(atPath: dump) }
                // Writers still in flight finish first; new ones wait until the switch.
                let rows = try await TenantSnapshot(database: source).withSnapshot(of: tenant, lockingWrites: true) {
                    snapshot, sums -> Int in
                    try await TenantBackup.dump(tenant.schemaName, snapshot: snapshot, conninfo: sourceInfo, to: dump)
                    try await target.withTransaction { session in
                        try TenantStore.createRoleAndSchema(session, tenant)
                        if let serving = config.database.servingRole,
                            try session.queryFirst("SELECT 1 AS one FROM pg_roles WHERE rolname = \(serving)") != nil
                        {
                            try session.execute("GRANT \(identifier: tenant.roleName) TO \(identifier: serving)")
                        }
                    }
                    try await TenantBackup.load(
                        try String(contentsOfFile: dump, encoding: .utf8), from: tenant.schemaName, into: tenant,
                        conninfo: targetInfo, scratch: dump)
                    let copied = try await target.withTransaction {
                        try TenantSnapshot.fingerprint($0, schema: tenant.schemaName)
                    }
                    let differing = TenantSnapshot.differing(copied, sums)
                    guard differing.isEmpty else {
                        throw TenantErrorLine("the copy differs in: \(differing.joined(separator: ", "))")
                    }
                    try await runtime.tenants.moved(tenant, to: destination, status: tenant.status, operator: operatorName)
                    return sums.values.map(\.rows).reduce(0, +)
                }
                // Servers that still remember the old cluster only read (the tenant was
                // `moving` for them); once they have all looked again, the old copy goes.
                try await Task.sleep(for: Self.settle)
                try await TenantStore.dropSchemaAndRole(source, tenant)
                print("moved \(slug) to \(to): \(rows) rows copied and checked; the old schema is dropped")
            } catch {
                // Before the switch, the copy goes and the association is as it was; after it,
                // the copy is the association and stays.
                if try await runtime.tenants.find(slug: slug)?.cluster != destination {
                    try? await TenantStore.dropSchemaAndRole(target, tenant)
                    _ = try? await runtime.tenants.setStatus(slug: slug, tenant.status, operator: operatorName)
                }
                throw error
            }
            await runtime.shutdown()
        }
    }
}
