/// One result row, copied out of libpq's `PGresult` before it leaves the connection's thread,
/// so that it is a plain Sendable value.
public struct Row: Sendable {
    let cells: ResultCells
    let index: Int

    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(RowDecodingError) -> T {
        guard let index = cells.columns.index(of: column) else { throw .unknownColumn(column) }
        return try decode(index, as: type)
    }

    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws(RowDecodingError) -> T {
        guard (0..<cells.columnCount).contains(column) else { throw .columnOutOfRange(column) }
        let cell = index * cells.columnCount + column
        let (start, end) = (cells.starts[cell], cells.ends[cell])
        guard start >= 0 else { return try T.decodeNull(column: cells.columns.names[column]) }
        return try cells.bytes.withUnsafeBufferPointer { (buffer) throws(RowDecodingError) in
            try T.decode(postgresBytes: .init(rebasing: buffer[start..<end]))
        }
    }

    public var columnNames: [String] { cells.columns.names }

    /// A cell's bytes as the server sent them; nil for NULL.
    func rawBytes(_ column: Int) -> [UInt8]? {
        guard (0..<cells.columnCount).contains(column) else { return nil }
        let cell = index * cells.columnCount + column
        guard cells.starts[cell] >= 0 else { return nil }
        return Array(cells.bytes[cells.starts[cell]..<cells.ends[cell]])
    }
}

/// Every cell of a result in one buffer, shared by its rows: one allocation per result
/// instead of one `String` per cell (decoding was a fifth of the server's CPU on a page of
/// a few hundred cells).
final class ResultCells: Sendable {
    let columns: ColumnNames
    let columnCount: Int
    let bytes: [UInt8]
    /// Where each cell starts and ends in `bytes`, row by row; a start of -1 is a NULL.
    let starts: [Int]
    let ends: [Int]

    init(columns: ColumnNames, bytes: [UInt8], starts: [Int], ends: [Int]) {
        self.columns = columns
        self.columnCount = columns.names.count
        self.bytes = bytes
        self.starts = starts
        self.ends = ends
    }
}

/// Column names of a result, shared by all its rows.
final class ColumnNames: Sendable {
    let names: [String]
    private let lookup: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var lookup: [String: Int] = [:]
        for (i, name) in names.enumerated() where lookup[name] == nil { lookup[name] = i }
        self.lookup = lookup
    }

    func index(of name: String) -> Int? { lookup[name] }
}

/// What a statement returned: its rows and, for INSERT/UPDATE/DELETE, the affected count.
public struct QueryResult: Sendable {
    public let rows: [Row]
    public let affectedRows: Int
}
