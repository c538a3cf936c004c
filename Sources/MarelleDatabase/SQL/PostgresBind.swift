import MarelleCore

import struct Foundation.Data
import struct Foundation.Date
import struct Foundation.UUID

/// One bound parameter, as libpq's `PQexecParams` takes it: a type OID, bytes, and whether
/// those bytes are PostgreSQL's text or binary form. Binary is used only for bytea, so that
/// documents travel without hex doubling their size.
public struct PostgresBind: Sendable {
    public let type: PostgresType
    public let bytes: [UInt8]?
    public let isBinary: Bool

    public init(type: PostgresType, text: String?) {
        self.type = type
        self.bytes = text.map { Array($0.utf8) }
        self.isBinary = false
    }

    public init(type: PostgresType, binary: [UInt8]?) {
        self.type = type
        self.bytes = binary
        self.isBinary = true
    }
}

/// The OIDs of the types Marelle binds (from `pg_type`; they are fixed in PostgreSQL).
public struct PostgresType: Sendable, Hashable {
    public let oid: UInt32
    public init(oid: UInt32) { self.oid = oid }

    public static let bool = PostgresType(oid: 16)
    public static let bytea = PostgresType(oid: 17)
    public static let int8 = PostgresType(oid: 20)
    public static let int4 = PostgresType(oid: 23)
    public static let text = PostgresType(oid: 25)
    public static let float8 = PostgresType(oid: 701)
    public static let int4Array = PostgresType(oid: 1007)
    public static let textArray = PostgresType(oid: 1009)
    public static let int8Array = PostgresType(oid: 1016)
    public static let date = PostgresType(oid: 1082)
    public static let timestamptz = PostgresType(oid: 1184)
    public static let uuid = PostgresType(oid: 2950)
    public static let jsonb = PostgresType(oid: 3802)
}

/// A Swift value that can be sent as a bind parameter.
public protocol PostgresEncodable: Sendable {
    static var postgresType: PostgresType { get }
    var postgresBind: PostgresBind { get }
}

extension String: PostgresEncodable {
    public static var postgresType: PostgresType { .text }
    public var postgresBind: PostgresBind { .init(type: .text, text: self) }
}

extension Substring: PostgresEncodable {
    public static var postgresType: PostgresType { .text }
    public var postgresBind: PostgresBind { .init(type: .text, text: String(self)) }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public var postgresBind: PostgresBind { .init(type: .int8, text: String(self)) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public var postgresBind: PostgresBind { .init(type: .int8, text: String(self)) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresType { .int4 }
    public var postgresBind: PostgresBind { .init(type: .int4, text: String(self)) }
}

extension Double: PostgresEncodable {
    public static var postgresType: PostgresType { .float8 }
    public var postgresBind: PostgresBind { .init(type: .float8, text: String(self)) }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresType { .bool }
    public var postgresBind: PostgresBind { .init(type: .bool, text: self ? "t" : "f") }
}

extension UUID: PostgresEncodable {
    public static var postgresType: PostgresType { .uuid }
    public var postgresBind: PostgresBind { .init(type: .uuid, text: uuidString.lowercased()) }
}

extension LocalDate: PostgresEncodable {
    public static var postgresType: PostgresType { .date }
    public var postgresBind: PostgresBind { .init(type: .date, text: iso) }
}

extension Date: PostgresEncodable {
    public static var postgresType: PostgresType { .timestamptz }
    public var postgresBind: PostgresBind { .init(type: .timestamptz, text: Timestamp.format(self)) }
}

/// Raw bytes for a `bytea` column.
public struct ByteA: Sendable, Hashable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ data: Data) { self.bytes = Array(data) }
}

extension ByteA: PostgresEncodable {
    public static var postgresType: PostgresType { .bytea }
    public var postgresBind: PostgresBind { .init(type: .bytea, binary: bytes) }
}

/// JSON text for a `jsonb` column; the server validates it.
public struct JSONB: Sendable, Hashable {
    public var text: String
    public init(_ text: String) { self.text = text }
}

extension JSONB: PostgresEncodable {
    public static var postgresType: PostgresType { .jsonb }
    public var postgresBind: PostgresBind { .init(type: .jsonb, text: text) }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: PostgresType { Element.arrayType }
    public var postgresBind: PostgresBind {
        .init(type: Element.arrayType, text: ArrayLiteral.encode(map(\.arrayLiteralElement)))
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: PostgresType { Wrapped.postgresType }
    public var postgresBind: PostgresBind {
        switch self {
        case .some(let value): value.postgresBind
        case .none: .init(type: Wrapped.postgresType, text: nil)
        }
    }
}

/// Types that can be the elements of a bound array.
public protocol PostgresArrayElement: Sendable {
    static var arrayType: PostgresType { get }
    var arrayLiteralElement: String { get }
}

extension Int: PostgresArrayElement {
    public static var arrayType: PostgresType { .int8Array }
    public var arrayLiteralElement: String { String(self) }
}

extension Int32: PostgresArrayElement {
    public static var arrayType: PostgresType { .int4Array }
    public var arrayLiteralElement: String { String(self) }
}

extension String: PostgresArrayElement {
    public static var arrayType: PostgresType { .textArray }
    public var arrayLiteralElement: String { self }
}
