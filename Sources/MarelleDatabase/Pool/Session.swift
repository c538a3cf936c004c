import NIOPosix
import Synchronization

/// A connection checked out of the pool for the length of one `withConnection`,
/// `withTransaction` or `withTenant` body. Each call hops to the pool's worker threads.
public struct Session: Sendable {
    let connection: PostgresConnection
    let pool: ConnectionPool
    let progress = Progress()

    /// Whether any statement of this session reached the server and came back: before that,
    /// a connection error proves that nothing was done, and the work may be retried.
    final class Progress: Sendable {
        let completed = Atomic<Int>(0)
    }

    /// Runs a statement and returns its rows.
    @discardableResult
    public func query(_ sql: SQL) async throws -> [Row] {
        try await run(sql).rows
    }

    /// Runs a statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ sql: SQL) async throws -> Int {
        try await run(sql).affectedRows
    }

    /// The first row, or nil.
    public func queryFirst(_ sql: SQL) async throws -> Row? {
        try await run(sql).rows.first
    }

    /// The first row; throws `RowDecodingError.noRow` when there is none.
    public func queryOne(_ sql: SQL) async throws -> Row {
        guard let row = try await run(sql).rows.first else { throw RowDecodingError.noRow }
        return row
    }

    /// Runs independent writes (INSERT, UPDATE or DELETE each, on different rows) as one
    /// statement of data-modifying CTEs: one round trip instead of one each, for the writes
    /// that end a transaction while it holds busy locks. They all see the same snapshot and
    /// none sees the others' rows, so they must not depend on each other.
    public func executeTogether(_ writes: [SQL]) async throws {
        guard let last = writes.last else { return }
        let ctes = writes.dropLast().enumerated().map { index, write -> SQL in "\(unsafeRaw: "w\(index)") AS (" + write + ")" }
        try await execute(ctes.isEmpty ? last : "WITH " + SQL.join(ctes, separator: ", ") + " " + last)
    }

    public func run(_ sql: SQL) async throws -> QueryResult {
        let connection = self.connection
        let result = try await pool.threads.runIfActive { try connection.execute(sql) }
        progress.completed.add(1, ordering: .relaxed)
        return result
    }

    /// Runs several statements of raw text in one round trip, with no binds. For migration
    /// files only: the label says it.
    public func unsafeExecuteScript(_ text: String) async throws {
        let connection = self.connection
        try await pool.threads.runIfActive { try connection.executeScript(text) }
    }

    /// Quotes an identifier with `PQescapeIdentifier`: the one quoting helper.
    public func quoteIdentifier(_ name: String) async throws -> String {
        let connection = self.connection
        return try await pool.threads.runIfActive { try connection.quoteIdentifier(name) }
    }
}
