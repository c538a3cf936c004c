import ArgumentParser
import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore
import MarelleWeb

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
            func conninfo(_ cluster: String?) throws -> String {
                guard let name = cluster else { return config.database.url }
                guard let value = config.clusters[name] else { throw TenantErrorLine("the configuration names no cluster '\(name)'") }
                return value
            }
            let (sourceInfo, targetInfo) = (try conninfo(tenant.cluster), try conninfo(destination))
            let source = try await runtime.database.holding(try tenant.scope())
            let target = try await runtime.database.holding(try TenantScope(schema: tenant.schemaName, role: tenant.roleName, cluster: destination))

            try await runtime.tenants.setStatus(slug: slug, .moving, operator: operatorName)
            var switched = false
            do {
                try await Task.sleep(for: Self.settle)
                let dump = NSTemporaryDirectory() + "/marelle-move-\(tenant.schemaName)-\(UUID().uuidString.prefix(8)).sql"
                defer { try? FileManager.default.removeItem(atPath: dump) }
                let rows = try await source.withTransaction { session -> Int in
                    try await session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    let tables: [String] = try await session.query(
                        "SELECT tablename FROM pg_tables WHERE schemaname = \(tenant.schemaName) ORDER BY tablename").map { try $0.decode("tablename") }
                    // Writers still in flight finish first; new ones wait until the switch.
                    let names = tables.map { table -> SQL in "\(identifier: tenant.schemaName).\(identifier: table)" }
                    try await session.execute("LOCK TABLE " + SQL.join(names, separator: ", ") + " IN SHARE MODE")
                    let snapshot: String = try await session.queryOne("SELECT pg_export_snapshot() AS id").decode("id")
                    let sums = try await TenantSnapshot.fingerprint(session, schema: tenant.schemaName)
                    try await TenantBackup.run("pg_dump", ["--schema=\(tenant.schemaName)", "--no-owner", "--no-privileges", "--format=plain",
                                                           "--snapshot=\(snapshot)", "--file=\(dump)", "--dbname=\(sourceInfo)"])
                    try await Self.prepare(target, tenant: tenant, servingRole: config.database.servingRole)
                    let script = try TenantBackup.rewrite(try String(contentsOfFile: dump, encoding: .utf8), from: tenant.schemaName,
                                                          to: tenant.schemaName, role: tenant.roleName)
                    try script.write(toFile: dump, atomically: true, encoding: .utf8)
                    try await TenantBackup.run("psql", ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
                                                        "--file=\(dump)", "--dbname=\(targetInfo)"])
                    let copied = try await target.withTransaction { try await TenantSnapshot.fingerprint($0, schema: tenant.schemaName) }
                    let differing = Set(copied.keys).union(sums.keys).filter { copied[$0] != sums[$0] }.sorted()
                    guard differing.isEmpty else { throw TenantErrorLine("the copy differs in: \(differing.joined(separator: ", "))") }
                    try await runtime.tenants.moved(tenant, to: destination, status: tenant.status, operator: operatorName)
                    switched = true
                    return sums.values.map(\.rows).reduce(0, +)
                }
                // Servers that still remember the old cluster only read (the tenant was
                // `moving` for them); once they have all looked again, the old copy goes.
                try await Task.sleep(for: Self.settle)
                try await Self.drop(source, tenant: tenant)
                print("moved \(slug) to \(to): \(rows) rows copied and checked; the old schema is dropped")
            } catch {
                if !switched {
                    try? await Self.drop(target, tenant: tenant)
                    try? await runtime.tenants.setStatus(slug: slug, tenant.status, operator: operatorName)
                }
                throw error
            }
            await runtime.shutdown()
        }
    }

    /// The tenant's role (if the cluster lacks it) and its empty schema on the target.
    static func prepare(_ target: Database, tenant: Tenant, servingRole: String?) async throws {
        try await target.withTransaction { session in
            if try await session.queryFirst("SELECT 1 AS one FROM pg_roles WHERE rolname = \(tenant.roleName)") == nil {
                try await session.execute("CREATE ROLE \(identifier: tenant.roleName) NOLOGIN")
            }
            try await session.execute("GRANT \(identifier: tenant.roleName) TO CURRENT_USER")
            if let serving = servingRole, try await session.queryFirst("SELECT 1 AS one FROM pg_roles WHERE rolname = \(serving)") != nil {
                try await session.execute("GRANT \(identifier: tenant.roleName) TO \(identifier: serving)")
            }
            try await session.execute("CREATE SCHEMA \(identifier: tenant.schemaName) AUTHORIZATION \(identifier: tenant.roleName)")
        }
    }

    static func drop(_ database: Database, tenant: Tenant) async throws {
        try await database.withTransaction { session in
            try await session.execute("DROP SCHEMA IF EXISTS \(identifier: tenant.schemaName) CASCADE")
        }
        // The role may own nothing else; if it does, it stays (and says nothing).
        _ = try? await database.withConnection { session in try await session.execute("DROP ROLE IF EXISTS \(identifier: tenant.roleName)") }
    }
}
