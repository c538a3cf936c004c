/// A read, and how its rows become a value: what a store hands out so that a use case may run
/// several reads in one round trip (`Session.fetch(_:...)`) or one on its own.
public struct Query<Value>: Sendable {
    public let sql: SQL
    let decode: @Sendable ([Row]) throws -> Value

    public init(_ sql: SQL, decode: @escaping @Sendable ([Row]) throws -> Value) {
        self.sql = sql
        self.decode = decode
    }

    /// A query that decodes each row on its own.
    public static func rows<Element>(_ sql: SQL, _ decode: @escaping @Sendable (Row) throws -> Element) -> Query<[Element]>
    where Value == [Element] {
        Query<[Element]>(sql) { rows in try rows.map(decode) }
    }
}
