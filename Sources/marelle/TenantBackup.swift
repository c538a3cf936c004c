import Foundation
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore

/// The file format and the pg_dump / psql runs behind `marelle backup` and `marelle restore`.
struct TenantBackup {
    let runtime: Runtime

    static let marker = "-- marelle-backup: "

    struct Manifest: Codable {
        var format = 1
        let slug: String
        let displayName: String
        let status: String
        let schema: String
        let hosts: [String]
        let takenAt: Date
        let tables: [String: TenantSnapshot.TableSum]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The connection string of the cluster holding `tenant`'s schema.
    func conninfo(_ tenant: Tenant) throws -> String {
        guard let conninfo = runtime.configuration.conninfo(cluster: tenant.cluster) else {
            throw Failure(description: "the configuration names no cluster '\(tenant.cluster ?? "")'")
        }
        return conninfo
    }

    func write(_ tenant: Tenant, to path: String) async throws -> Manifest {
        let body = path + ".part"
        let hosts = try await runtime.tenants.hosts(of: tenant)
        let conninfo = try self.conninfo(tenant)
        let source = try await runtime.database.holding(try tenant.scope())
        let sums = try await TenantSnapshot(database: source).withSnapshot(of: tenant) { snapshot, sums in
            try await Self.dump(tenant.schemaName, snapshot: snapshot, conninfo: conninfo, to: body)
            return sums
        }
        let manifest = Manifest(
            slug: tenant.slug, displayName: tenant.displayName, status: tenant.status.rawValue, schema: tenant.schemaName,
            hosts: hosts, takenAt: Date(), tables: sums)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let output = OutputStream(toFileAtPath: path, append: false), let input = InputStream(fileAtPath: body) else {
            throw Failure(description: "cannot write \(path)")
        }
        output.open()
        input.open()
        defer { output.close(); input.close(); try? FileManager.default.removeItem(atPath: body) }
        let header = Array((Self.marker + String(decoding: try encoder.encode(manifest), as: UTF8.self) + "\n").utf8)
        guard output.write(header, maxLength: header.count) == header.count else {
            throw Failure(description: "cannot write \(path)")
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while case let n = input.read(&buffer, maxLength: buffer.count), n > 0 {
            guard output.write(buffer, maxLength: n) == n else { throw Failure(description: "cannot write \(path)") }
        }
        return manifest
    }

    func restore(from path: String, as newSlug: String?) async throws -> Tenant {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Failure(description: "cannot read \(path)")
        }
        guard text.hasPrefix(Self.marker), let end = text.firstIndex(of: "\n") else {
            throw Failure(
                description:
                    "\(path) is not a marelle backup (no \"\(Self.marker.trimmingCharacters(in: .whitespaces))\" first line)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard
            let manifest = try? decoder.decode(
                Manifest.self, from: Data(text[text.index(text.startIndex, offsetBy: Self.marker.count)..<end].utf8)),
            manifest.format == 1
        else { throw Failure(description: "\(path): the backup's first line cannot be read") }
        let tenant = try await runtime.tenants.createEmpty(
            slug: newSlug ?? manifest.slug, displayName: manifest.displayName,
            status: Tenant.Status(rawValue: manifest.status) ?? .active,
            operator: operatorName)
        do {
            try await Self.load(
                String(text[text.index(after: end)...]), from: manifest.schema, into: tenant, conninfo: try conninfo(tenant),
                scratch: path + ".restore-\(tenant.id).sql")
            let restored = try await TenantSnapshot(database: runtime.database).fingerprint(tenant)
            let differing = TenantSnapshot.differing(restored, manifest.tables)
            guard differing.isEmpty else {
                throw Failure(description: "the restored copy differs from the backup in: \(differing.joined(separator: ", "))")
            }
            // A backup from an older Marelle: the migrations since then.
            _ = try await runtime.tenantMigrator.migrate(.tenant(try tenant.scope()), database: runtime.database)
            if newSlug == nil || newSlug == manifest.slug {
                for host in manifest.hosts {
                    _ = try await runtime.tenants.addHost(slug: tenant.slug, host: host, operator: operatorName)
                }
            }
            return tenant
        } catch {
            try? await runtime.tenants.dropIncomplete(tenant)
            throw error
        }
    }

    /// The plain SQL of one schema, no owners, no grants, as `snapshot` (exported by an open
    /// transaction) saw it.
    static func dump(_ schema: String, snapshot: String, conninfo: String, to path: String) async throws {
        try await run(
            "pg_dump",
            [
                "--schema=\(schema)", "--no-owner", "--no-privileges", "--format=plain",
                "--snapshot=\(snapshot)", "--file=\(path)", "--dbname=\(conninfo)",
            ])
    }

    /// Loads a dump of schema `old` into `tenant`'s existing, empty schema (through `scratch`,
    /// a file removed afterwards), in one transaction, as the tenant's role.
    static func load(_ dump: String, from old: String, into tenant: Tenant, conninfo: String, scratch: String) async throws {
        try rewrite(dump, from: old, to: tenant.schemaName, role: tenant.roleName).write(
            toFile: scratch, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try await run(
            "psql",
            [
                "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=\(scratch)",
                "--dbname=\(conninfo)",
            ])
    }

    /// The dump's schema name becomes the new one everywhere but in the data (COPY blocks),
    /// its CREATE SCHEMA goes (the schema exists, owned by the tenant's role), the schema's
    /// migrate lock is taken first and everything runs as that role, so that the copy's
    /// objects are the tenant's own.
    static func rewrite(_ dump: String, from old: String, to new: String, role: String) throws -> String {
        let name = try NSRegularExpression(
            pattern: "(?<![A-Za-z0-9_\"])\"?\(NSRegularExpression.escapedPattern(for: old))\"?(?![A-Za-z0-9_])")
        // The migrator's lock on this schema (`Migrator.prepare`), held until the load commits:
        // a `marelle migrate` meanwhile waits, then finds the restored schema_migrations,
        // instead of creating that table under the load's feet (seen as a 23505 in the tests).
        let lock = "SELECT pg_advisory_xact_lock(hashtext('marelle.migrate.\(new.replacingOccurrences(of: "'", with: "''"))'));"
        var out = [lock, "SET ROLE \"\(role)\";"]
        var inCopy = false
        for line in dump.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(line)
            if inCopy {
                out.append(line)
                if line == "\\." { inCopy = false }
                continue
            }
            if line.hasPrefix("CREATE SCHEMA ") { continue }
            let replaced = name.stringByReplacingMatches(
                in: line, range: NSRange(line.startIndex..., in: line), withTemplate: new)
            if replaced.hasPrefix("COPY "), replaced.hasSuffix("FROM stdin;") { inCopy = true }
            out.append(replaced)
        }
        return out.joined(separator: "\n")
    }

    /// Runs a PostgreSQL client tool to its end without holding a thread of the async pool.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard status == 0 else {
            throw Failure(description: "\(tool) failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return message
    }
}
