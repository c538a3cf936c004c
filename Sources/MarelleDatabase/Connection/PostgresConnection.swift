import CLibPQ
import Foundation

/// One libpq connection. Every method blocks: call them only from the pool's worker threads,
/// never from Swift's cooperative pool. The pool hands a connection to one user at a time,
/// which is what makes the unchecked Sendable sound.
final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Session settings every connection starts with, so that text results have one form
    /// (timestamps in UTC, ISO dates) whatever the server's defaults.
    private static let sessionSetup =
        "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET bytea_output = 'hex'; SET extra_float_digits = 3; SET client_min_messages = warning"

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQfinish(handle)
    }

    /// Connects with a libpq connection string or URI (`postgresql://...`, or
    /// `host=/path/to/socket dbname=marelle user=marelle`).
    static func connect(_ conninfo: String, applicationName: String) throws(DatabaseError) -> PostgresConnection {
        let keys = ["dbname", "application_name", "client_encoding"]
        let values = [conninfo, applicationName, "UTF8"]
        let connection: OpaquePointer? = withCStringArray(keys) { k in
            withCStringArray(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let connection else {
            throw DatabaseError(kind: .connection, message: "out of memory while connecting")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = errorMessage(connection)
            PQfinish(connection)
            throw DatabaseError(kind: .connection, message: message)
        }
        let result = PostgresConnection(handle: connection)
        try result.executeScript(sessionSetup)
        return result
    }

    /// Cheap, non-blocking liveness check for a pooled connection: reads whatever the server
    /// sent while the connection sat idle. After a server restart the server's FATAL message
    /// and the closed socket turn the status to CONNECTION_BAD here, before a user's query
    /// fails on it. (libpq keeps its socket non-blocking, so this never waits.)
    var isHealthy: Bool {
        guard PQstatus(handle) == CONNECTION_OK else { return false }
        if PQconsumeInput(handle) == 0 { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// True when no transaction is open or failed: only then may the pool reuse it.
    var isIdleOutsideTransaction: Bool {
        PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Runs one statement with its binds through the extended protocol (`PQexecParams`).
    func execute(_ sql: SQL) throws(DatabaseError) -> QueryResult {
        let (text, binds) = try render(sql)
        let count = Int32(binds.count)
        let types = binds.map { Oid($0.type.oid) }
        let formats = binds.map { Int32($0.isBinary ? 1 : 0) }
        let lengths = binds.map { Int32($0.bytes?.count ?? 0) }
        // libpq copies parameter values into its output buffer during the call, so pointers
        // that live for the duration of `PQexecParams` are enough.
        let storage = binds.map { bind -> UnsafeMutablePointer<CChar>? in
            guard let bytes = bind.bytes else { return nil }
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withUnsafeBufferPointer { src in
                src.withMemoryRebound(to: CChar.self) { p.initialize(from: $0.baseAddress!, count: bytes.count) }
            }
            p[bytes.count] = 0
            return p
        }
        defer { storage.forEach { $0?.deallocate() } }
        let values: [UnsafePointer<CChar>?] = storage.map { $0.map { UnsafePointer($0) } }
        let result = PQexecParams(handle, text, count, types, values, lengths, formats, 0)
        return try collect(result, statement: sql.description)
    }

    /// Runs raw text through the simple protocol: several statements, no binds. Used for
    /// migration files and session set-up, never with user input.
    func executeScript(_ text: String) throws(DatabaseError) {
        let result = PQexec(handle, text)
        _ = try collect(result, statement: nil)
    }

    /// Quotes an identifier with libpq's own rules (`PQescapeIdentifier`).
    func quoteIdentifier(_ name: String) throws(DatabaseError) -> String {
        let utf8 = Array(name.utf8)
        guard let escaped = PQescapeIdentifier(handle, name, utf8.count) else {
            throw DatabaseError(kind: .client, message: Self.errorMessage(handle))
        }
        // "The return string ... must be freed using PQfreemem" (libpq docs, PQescapeIdentifier).
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    private func render(_ sql: SQL) throws(DatabaseError) -> (String, [PostgresBind]) {
        var text = ""
        var binds: [PostgresBind] = []
        for fragment in sql.fragments {
            switch fragment {
            case .text(let t): text += t
            case .bind(let b):
                binds.append(b)
                text += "$\(binds.count)"
            case .identifier(let name): text += try quoteIdentifier(name)
            }
        }
        return (text, binds)
    }

    private func collect(_ result: OpaquePointer?, statement: String?) throws(DatabaseError) -> QueryResult {
        guard let result else {
            throw DatabaseError(kind: .connection, message: Self.errorMessage(handle), statement: statement)
        }
        // "Every command result should be freed via PQclear when it is no longer needed."
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(rows: [], affectedRows: Self.affected(result))
        case PGRES_TUPLES_OK:
            return QueryResult(rows: Self.rows(result), affectedRows: Self.affected(result))
        default:
            let field = { (code: Character) -> String? in
                guard let p = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
                return String(cString: p)
            }
            let sqlState = field("C")
            let message = field("M") ?? Self.errorMessage(handle)
            let kind: DatabaseError.Kind =
                PQstatus(handle) == CONNECTION_OK && sqlState.map({ !$0.hasPrefix("08") && !$0.hasPrefix("57P") }) ?? false
                ? .server : .connection
            throw DatabaseError(
                kind: kind, sqlState: sqlState, message: message, detail: field("D"),
                constraint: field("n"), statement: statement)
        }
    }

    private static func rows(_ result: OpaquePointer) -> [Row] {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        let names = ColumnNames((0..<columnCount).map { String(cString: PQfname(result, $0)) })
        var rows: [Row] = []
        rows.reserveCapacity(Int(rowCount))
        for r in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(Int(columnCount))
            for c in 0..<columnCount {
                if PQgetisnull(result, r, c) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, r, c)))
                }
            }
            rows.append(Row(columns: names, values: values))
        }
        return rows
    }

    private static func affected(_ result: OpaquePointer) -> Int {
        guard let p = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: p)) ?? 0
    }

    private static func errorMessage(_ handle: OpaquePointer) -> String {
        guard let p = PQerrorMessage(handle) else { return "unknown libpq error" }
        let text = String(cString: p).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown libpq error" : text
    }
}

/// Passes a Swift string array as a NULL-terminated `const char* const*`.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    let constPointers = pointers.map { $0.map { UnsafePointer($0) } }
    return constPointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
