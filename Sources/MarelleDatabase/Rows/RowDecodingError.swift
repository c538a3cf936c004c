/// A column could not be read as the Swift type asked for.
public enum RowDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownColumn(String)
    case columnOutOfRange(Int)
    case unexpectedNull(column: String)
    case malformed(type: String)
    case noRow

    public var description: String {
        switch self {
        case .unknownColumn(let c): "no column named \(c) in the result"
        case .columnOutOfRange(let i): "no column at index \(i) in the result"
        case .unexpectedNull(let c): "column \(c) is NULL where a value was expected"
        case .malformed(let t): "a value could not be read as \(t)"
        case .noRow: "the query returned no row"
        }
    }
}
