import Synchronization

/// A connection checked out of the pool for the length of one `withConnection`,
/// `withTransaction` or `withTenant` body. The body runs on the connection's worker thread,
/// so every statement is a plain blocking call: one thread hop into the body and one out,
/// however many statements it runs.
///
/// A session is not Sendable: it must not leave the body it was given to.
public struct Session {
    let connection: PostgresConnection
    let progress: Progress

    init(connection: PostgresConnection, progress: Progress) {
        self.connection = connection
        self.progress = progress
    }

    /// Whether any statement of this session reached the server and came back: before that,
    /// a connection error proves that nothing was done, and the work may be retried.
    final class Progress: Sendable {
        let completed = Atomic<Int>(0)
    }

    /// Runs a statement and returns its rows.
    @discardableResult
    public func query(_ sql: SQL) throws -> [Row] {
        try run(sql).rows
    }

    /// Runs a statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try run(sql).affectedRows
    }

    /// The first row, or nil.
    public func queryFirst(_ sql: SQL) throws -> Row? {
        try run(sql).rows.first
    }

    /// The first row; throws `RowDecodingError.noRow` when there is none.
    public func queryOne(_ sql: SQL) throws -> Row {
        guard let row = try run(sql).rows.first else { throw RowDecodingError.noRow }
        return row
    }

    /// Runs independent writes (INSERT, UPDATE or DELETE each, on different rows) as one
    /// statement of data-modifying CTEs: one round trip instead of one each, for the writes
    /// that end a transaction while it holds busy locks. They all see the same snapshot and
    /// none sees the others' rows, so they must not depend on each other.
    public func executeTogether(_ writes: [SQL]) throws {
        guard let last = writes.last else { return }
        let ctes = writes.dropLast().enumerated().map { index, write -> SQL in "\(unsafeRaw: "w\(index)") AS (" + write + ")" }
        try execute(ctes.isEmpty ? last : "WITH " + SQL.join(ctes, separator: ", ") + " " + last)
    }

    /// Runs a query and decodes its rows.
    public func fetch<Value>(_ query: Query<Value>) throws -> Value {
        try query.decode(try self.query(query.sql))
    }

    /// Runs independent queries in one round trip (libpq pipeline mode) and decodes each:
    /// a page that reads four lists waits for the server once, not four times. None may
    /// depend on another's effects.
    public func fetch<each Value>(_ queries: repeat Query<each Value>) throws -> (repeat each Value) {
        let results = try connection.executeAll(Self.statements(repeat each queries))
        progress.completed.add(1, ordering: .relaxed)
        return try Self.decode(repeat each queries, from: results.map(\.rows))
    }

    /// Runs independent reads as one statement and decodes each: where what counts is the
    /// statements PostgreSQL executes, not only the round trips (a submission's reads, while
    /// the family's row is locked). Same rules as `fetch(_:...)`; the reads are subqueries, so
    /// none may lock rows or write.
    public func fetchInOne<each Value>(_ queries: repeat Query<each Value>) throws -> (repeat each Value) {
        let results = try connection.executeInOne(Self.statements(repeat each queries))
        progress.completed.add(1, ordering: .relaxed)
        return try Self.decode(repeat each queries, from: results)
    }

    private static func statements<each Value>(_ queries: repeat Query<each Value>) -> [SQL] {
        var sqls: [SQL] = []
        for query in repeat each queries { sqls.append(query.sql) }
        return sqls
    }

    /// Each query's rows to its decoder, in order.
    private static func decode<each Value>(_ queries: repeat Query<each Value>, from results: [[Row]]) throws -> (
        repeat each Value
    ) {
        var index = 0
        func decode<V>(_ query: Query<V>) throws -> V {
            defer { index += 1 }
            return try query.decode(results[index])
        }
        return (repeat try decode(each queries))
    }

    /// Runs one statement (a named prepared statement of this connection).
    public func run(_ sql: SQL) throws -> QueryResult {
        let result = try connection.execute(sql)
        progress.completed.add(1, ordering: .relaxed)
        return result
    }

    /// Runs several statements of raw text in one round trip, with no binds. For migration
    /// files only: the label says it.
    public func unsafeExecuteScript(_ text: String) throws {
        try connection.executeScript(text)
        progress.completed.add(1, ordering: .relaxed)
    }

    /// Quotes an identifier with `PQescapeIdentifier`: the one quoting helper.
    public func quoteIdentifier(_ name: String) throws -> String {
        try connection.quoteIdentifier(name)
    }
}

@available(*, unavailable, message: "a session belongs to the body it was given to")
extension Session: Sendable {}
