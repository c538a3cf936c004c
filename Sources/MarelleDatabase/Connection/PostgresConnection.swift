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

    /// Named prepared statements of this connection, by SQL text and parameter types. Statement
    /// names are never reused, so a statement forgotten here (its plan went stale) cannot be
    /// confused with a newer one of the same text.
    private var prepared: [StatementKey: String] = [:]
    private var preparedCount = 0
    /// Statements to send ahead of the next one in the same round trip: `BEGIN` and the
    /// tenant's settings wait here until the transaction's first statement, so that the three
    /// cost one round trip (libpq pipeline mode).
    private var deferred: [SQL] = []
    /// Statements sent in front of every round trip (the tenant's settings of a read outside
    /// a transaction, `Database.withTenantReads`): each round trip is then one implicit
    /// transaction, whose settings last until its Sync.
    private var everyRoundTrip: [SQL] = []
    private var staleStatementsOnServer = false
    /// Column names of the reads sent inside one statement (`executeInOne`), learnt once per
    /// connection by describing each read as a prepared statement of its own.
    private var describedColumns: [StatementKey: ColumnNames] = [:]

    /// Whether a statement sent or received more than `largeMessageBytes` (a document). libpq
    /// grows its input and output buffers to the largest message a connection has carried
    /// and never shrinks them: ten pooled connections that each once carried a 10 MB
    /// document hold 200 MB for good. The pool closes such a connection when it comes back
    /// (`ConnectionPool.release`), and a fresh one, with small buffers, takes its place.
    private(set) var carriedLargeMessage = false
    static let largeMessageBytes = 1 << 20

    /// Past this many statements the cache is emptied (`DEALLOCATE ALL`) before the next
    /// transaction: statements built at run time (lists of n values) must not grow it without
    /// bound.
    static let maxPreparedStatements = 1_000

    /// A name no statement of this connection had before.
    private func newStatementName() -> String {
        preparedCount += 1
        return "m\(preparedCount)"
    }

    /// Defers statements (BEGIN, the tenant's settings) to the next `execute`, which sends them
    /// in front of its own in one round trip.
    func deferStatements(_ statements: [SQL]) {
        deferred += statements
    }

    /// Sends `statements` in front of every round trip until `stopRepeating`.
    func repeatInEveryRoundTrip(_ statements: [SQL]) {
        everyRoundTrip = statements
    }

    func stopRepeating() {
        everyRoundTrip.removeAll()
    }

    /// True when deferred statements were never sent: the transaction never started.
    var hasDeferredStatements: Bool { !deferred.isEmpty }

    /// Forgets statements that were deferred and never sent.
    func dropDeferredStatements() {
        deferred.removeAll()
    }

    /// Empties the statement cache when it has grown too large; call outside a transaction.
    func trimStatementCache() throws(DatabaseError) {
        guard staleStatementsOnServer || prepared.count >= Self.maxPreparedStatements else { return }
        try executeScript("DEALLOCATE ALL")
        prepared.removeAll()
        staleStatementsOnServer = false
    }

    /// Forgets every prepared statement after the server refused a cached plan (a table changed
    /// shape under it): each is prepared again under a new name, and the old ones are
    /// deallocated before the next transaction.
    func forgetStatements() {
        prepared.removeAll()
        describedColumns.removeAll()
        staleStatementsOnServer = true
    }

    /// Runs one statement as a named prepared statement, prepared on this connection the first
    /// time its text is seen. Deferred statements go in front of it, in the same round trip.
    func execute(_ sql: SQL) throws(DatabaseError) -> QueryResult {
        let statement = try render(sql)
        if deferred.isEmpty, everyRoundTrip.isEmpty, let name = prepared[statement.key] {
            let result = withParameterArrays(statement.binds) { values, lengths, formats in
                PQexecPrepared(handle, name, Int32(statement.binds.count), values, lengths, formats, 0)
            }
            return try collect(result, statement: statement.sql.description)
        }
        return try pipeline(try takeDeferred() + [statement]).last ?? QueryResult(rows: [], affectedRows: 0)
    }

    /// Runs independent statements in one round trip (deferred ones in front) and returns
    /// their results in order; throws the first error, and then none of them counts.
    func executeAll(_ sqls: [SQL]) throws(DatabaseError) -> [QueryResult] {
        // RenderedStatement first: a refused bind (NUL) then leaves the deferred statements in place.
        var rendered: [RenderedStatement] = []
        for sql in sqls { rendered.append(try render(sql)) }
        var statements = try takeDeferred()
        let ahead = statements.count
        statements += rendered
        return Array(try pipeline(statements).dropFirst(ahead))
    }

    /// Runs independent reads as one statement, `SELECT ARRAY(SELECT r::text FROM (read) r), ...`:
    /// PostgreSQL executes, and `pg_stat_statements` counts, one statement instead of one per
    /// read. Each read's rows come back as the text of its records, split here into cells named
    /// as the read names its columns (`RecordArrays`). Deferred statements go in front.
    func executeInOne(_ sqls: [SQL]) throws(DatabaseError) -> [[Row]] {
        var combined: SQL = "SELECT "
        var columns: [ColumnNames] = []
        for (index, sql) in sqls.enumerated() {
            columns.append(try describe(sql))
            combined = combined + (index == 0 ? "" : ", ") + "ARRAY(SELECT marelle_read::text FROM (" + sql + ") marelle_read)"
        }
        guard let row = try execute(combined).rows.first else {
            throw DatabaseError(kind: .client, message: "reads in one statement: no row")
        }
        var results: [[Row]] = []
        for (index, names) in columns.enumerated() {
            do {
                let cells = try RecordArrays.cells(row.rawBytes(index) ?? [], columns: names)
                results.append((0..<(cells.starts.count / max(1, cells.columnCount))).map { Row(cells: cells, index: $0) })
            } catch {
                throw DatabaseError(kind: .client, message: "reads in one statement: read \(index) is not an array of records")
            }
        }
        return results
    }

    /// The column names of a read, from its prepared statement's description (once per
    /// connection and text). The transaction's deferred statements are sent first: the read is
    /// prepared under the tenant's `search_path`, like every statement.
    private func describe(_ sql: SQL) throws(DatabaseError) -> ColumnNames {
        let statement = try render(sql)
        if let known = describedColumns[statement.key] { return known }
        if !deferred.isEmpty { _ = try pipeline(try takeDeferred()) }
        // Outside a transaction, the settings of a round trip end with it: the read is
        // prepared and described inside a transaction of its own that holds them (once per
        // connection; describing a statement prepared under another search_path parses it
        // again under the current one).
        let repeating = !everyRoundTrip.isEmpty
        if repeating {
            var opening = [try render("BEGIN")]
            for sql in everyRoundTrip { opening.append(try render(sql)) }
            _ = try pipeline(opening)
        }
        defer { if repeating { _ = try? collect(PQexec(handle, "COMMIT"), statement: "COMMIT") } }
        let name: String
        if let known = prepared[statement.key] { name = known } else { name = try prepareAlone(statement.key) }
        guard let description = PQdescribePrepared(handle, name), PQresultStatus(description) == PGRES_COMMAND_OK else {
            _ = try collect(PQdescribePrepared(handle, name), statement: statement.key.text)
            throw DatabaseError(kind: .connection, message: Self.errorMessage(handle), statement: statement.key.text)
        }
        defer { PQclear(description) }
        let names = ColumnNames((0..<PQnfields(description)).map { String(cString: PQfname(description, $0)) })
        describedColumns[statement.key] = names
        return names
    }

    /// Prepares a statement in a round trip of its own (outside a pipeline) and returns its name.
    private func prepareAlone(_ key: StatementKey) throws(DatabaseError) -> String {
        let name = newStatementName()
        let types = key.oids
        _ = try collect(PQprepare(handle, name, key.text, Int32(types.count), types), statement: key.text)
        prepared[key] = name
        return name
    }

    /// The deferred statements, rendered, and no longer deferred; then those sent in front
    /// of every round trip.
    private func takeDeferred() throws(DatabaseError) -> [RenderedStatement] {
        var statements: [RenderedStatement] = []
        for earlier in deferred + everyRoundTrip { statements.append(try render(earlier)) }
        deferred.removeAll()
        return statements
    }

    /// Sends every statement (preparing those not yet prepared) and one Sync, then reads every
    /// result: one round trip. Returns each statement's result; throws the first error.
    private func pipeline(_ statements: [RenderedStatement]) throws(DatabaseError) -> [QueryResult] {
        guard PQenterPipelineMode(handle) == 1 else {
            throw DatabaseError(kind: .connection, message: Self.errorMessage(handle))
        }
        enum Expected {
            case prepare(StatementKey, String)
            case query(SQL)
        }
        var expected: [Expected] = []
        var sendFailed = false
        for statement in statements where !sendFailed {
            let name: String
            if let known = prepared[statement.key] {
                name = known
            } else {
                name = newStatementName()
                let types = statement.key.oids
                guard PQsendPrepare(handle, name, statement.key.text, Int32(types.count), types) == 1 else {
                    sendFailed = true
                    break
                }
                expected.append(.prepare(statement.key, name))
            }
            let sent = withParameterArrays(statement.binds) { values, lengths, formats in
                PQsendQueryPrepared(handle, name, Int32(statement.binds.count), values, lengths, formats, 0)
            }
            guard sent == 1 else {
                sendFailed = true
                break
            }
            expected.append(.query(statement.sql))
        }
        guard !sendFailed, PQpipelineSync(handle) == 1 else {
            let message = Self.errorMessage(handle)
            _ = PQexitPipelineMode(handle)
            throw DatabaseError(kind: .connection, message: message)
        }
        var firstError: DatabaseError?
        var results: [QueryResult] = []
        results.reserveCapacity(statements.count)
        for item in expected {
            guard let result = PQgetResult(handle) else {
                throw DatabaseError(kind: .connection, message: Self.errorMessage(handle))
            }
            // Each statement's results end with a NULL.
            defer { while let extra = PQgetResult(handle) { PQclear(extra) } }
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
                continue
            }
            switch item {
            case .prepare(let key, let name):
                do {
                    _ = try collect(result, statement: key.text)
                    prepared[key] = name
                } catch {
                    if firstError == nil { firstError = error }
                }
            case .query(let sql):
                do {
                    results.append(try collect(result, statement: sql.description))
                } catch {
                    if firstError == nil { firstError = error }
                }
            }
        }
        // The Sync's own result closes the pipeline.
        guard let sync = PQgetResult(handle) else {
            throw DatabaseError(kind: .connection, message: Self.errorMessage(handle))
        }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(handle) == 1 else {
            throw DatabaseError(kind: .connection, message: "pipeline out of step: " + Self.errorMessage(handle))
        }
        if let firstError { throw firstError }
        return results
    }

    /// Runs raw text through the simple protocol: several statements, no binds. Used for
    /// migration files and session set-up, never with user input.
    func executeScript(_ text: String) throws(DatabaseError) {
        if !deferred.isEmpty { _ = try pipeline(try takeDeferred()) }
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

    private func render(_ sql: SQL) throws(DatabaseError) -> RenderedStatement {
        var text = ""
        var binds: [PostgresBind] = []
        for fragment in sql.fragments {
            switch fragment {
            case .text(let t): text += t
            case .bind(let b):
                // libpq reads a text parameter up to its first NUL: the rest would be lost
                // without a word. The forms and the API refuse control characters; this is
                // the last line, and its SQLSTATE is PostgreSQL's own for the case.
                if !b.isBinary, b.bytes?.contains(0) == true {
                    throw DatabaseError(
                        kind: .client, sqlState: "22021", message: "a text parameter holds a NUL character",
                        statement: sql.description)
                }
                binds.append(b)
                text += "$\(binds.count)"
            case .identifier(let name): text += try quoteIdentifier(name)
            }
        }
        if binds.reduce(0, { $0 + ($1.bytes?.count ?? 0) }) > Self.largeMessageBytes { carriedLargeMessage = true }
        return RenderedStatement(key: StatementKey(text: text, types: binds.map(\.type.oid)), binds: binds, sql: sql)
    }

    private func collect(_ result: OpaquePointer?, statement: @autoclosure () -> String?) throws(DatabaseError) -> QueryResult {
        guard let result else {
            throw DatabaseError(kind: .connection, message: Self.errorMessage(handle), statement: statement())
        }
        // "Every command result should be freed via PQclear when it is no longer needed."
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(rows: [], affectedRows: Self.affected(result))
        case PGRES_TUPLES_OK:
            let rows = Self.rows(result)
            if let first = rows.first, first.cells.bytes.count > Self.largeMessageBytes { carriedLargeMessage = true }
            return QueryResult(rows: rows, affectedRows: Self.affected(result))
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
                constraint: field("n"), statement: statement())
        }
    }

    private static func errorMessage(_ handle: OpaquePointer) -> String {
        guard let p = PQerrorMessage(handle) else { return "unknown libpq error" }
        let text = String(cString: p).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown libpq error" : text
    }
}
