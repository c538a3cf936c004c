/// One result row, copied out of libpq's `PGresult` before it leaves the connection's thread,
/// so that it is a plain Sendable value.
public struct Row: Sendable {
    let columns: ColumnNames
    let values: [String?]

    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(RowDecodingError) -> T {
        guard let index = columns.index(of: column) else { throw .unknownColumn(column) }
        return try decode(index, as: type)
    }

    public func decode<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws(RowDecodingError) -> T {
        guard values.indices.contains(index) else { throw .columnOutOfRange(index) }
        guard let text = values[index] else { return try T.decodeNull(column: columns.names[index]) }
        return try T.decode(postgresText: text)
    }

    public var columnNames: [String] { columns.names }
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
