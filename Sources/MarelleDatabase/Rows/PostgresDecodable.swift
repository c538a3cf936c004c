import MarelleCore

import struct Foundation.Date
import struct Foundation.UUID

/// A Swift value read from a column's text form (results are always requested as text).
/// The types read by the hundred (numbers, dates, booleans, text) decode straight from the
/// cell's bytes; the others go through a `String`.
public protocol PostgresDecodable: Sendable {
    static func decode(postgresText text: String) throws(RowDecodingError) -> Self
    static func decode(postgresBytes bytes: UnsafeBufferPointer<UInt8>) throws(RowDecodingError) -> Self
    /// What a SQL NULL becomes; only `Optional` accepts it.
    static func decodeNull(column: String) throws(RowDecodingError) -> Self
}

extension PostgresDecodable {
    public static func decode(postgresBytes bytes: UnsafeBufferPointer<UInt8>) throws(RowDecodingError) -> Self {
        try decode(postgresText: String(decoding: bytes, as: UTF8.self))
    }

    public static func decodeNull(column: String) throws(RowDecodingError) -> Self {
        throw .unexpectedNull(column: column)
    }
}

extension String: PostgresDecodable {
    public static func decode(postgresText text: String) -> String { text }
}

extension Int: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> Int {
        guard let v = Int(text) else { throw .malformed(type: "Int") }
        return v
    }

    public static func decode(postgresBytes bytes: UnsafeBufferPointer<UInt8>) throws(RowDecodingError) -> Int {
        var digits = bytes[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18 else {
            // Beyond 18 digits, the standard parser says whether it still fits.
            return try decode(postgresText: String(decoding: bytes, as: UTF8.self))
        }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformed(type: "Int") }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return negative ? -value : value
    }
}

extension Int64: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> Int64 {
        guard let v = Int64(text) else { throw .malformed(type: "Int64") }
        return v
    }
}

extension Int32: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> Int32 {
        guard let v = Int32(text) else { throw .malformed(type: "Int32") }
        return v
    }
}

extension Double: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> Double {
        guard let v = Double(text) else { throw .malformed(type: "Double") }
        return v
    }
}

extension Bool: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> Bool {
        switch text {
        case "t": return true
        case "f": return false
        default: throw .malformed(type: "Bool")
        }
    }

    public static func decode(postgresBytes bytes: UnsafeBufferPointer<UInt8>) throws(RowDecodingError) -> Bool {
        guard bytes.count == 1 else { throw .malformed(type: "Bool") }
        switch bytes[0] {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw .malformed(type: "Bool")
        }
    }
}

extension UUID: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> UUID {
        guard let v = UUID(uuidString: text) else { throw .malformed(type: "UUID") }
        return v
    }
}

extension LocalDate: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> LocalDate {
        guard let v = LocalDate(iso: text) else { throw .malformed(type: "date") }
        return v
    }

    public static func decode(postgresBytes bytes: UnsafeBufferPointer<UInt8>) throws(RowDecodingError) -> LocalDate {
        guard let v = LocalDate(isoUTF8: bytes) else { throw .malformed(type: "date") }
        return v
    }
}

extension Date: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> Date {
        guard let v = Timestamp.parse(text) else { throw .malformed(type: "timestamptz") }
        return v
    }

    public static func decode(postgresBytes bytes: UnsafeBufferPointer<UInt8>) throws(RowDecodingError) -> Date {
        guard let v = Timestamp.parse(bytes: bytes) else { throw .malformed(type: "timestamptz") }
        return v
    }
}

extension ByteA: PostgresDecodable {
    /// bytea's text output is `\x` followed by hex (`bytea_output = hex`, the default).
    public static func decode(postgresText text: String) throws(RowDecodingError) -> ByteA {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == 0x5C, utf8[1] == 0x78, utf8.count % 2 == 0 else {
            throw .malformed(type: "bytea")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var i = 2
        while i < utf8.count {
            guard let hi = hexValue(utf8[i]), let lo = hexValue(utf8[i + 1]) else {
                throw .malformed(type: "bytea")
            }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        return ByteA(bytes)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}

extension JSONB: PostgresDecodable {
    public static func decode(postgresText text: String) -> JSONB { JSONB(text) }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> [Element] {
        var result: [Element] = []
        for element in try ArrayLiteral.decode(text) {
            guard let element else { throw .unexpectedNull(column: "array element") }
            result.append(try Element.decode(postgresText: element))
        }
        return result
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String) throws(RowDecodingError) -> Wrapped? {
        try Wrapped.decode(postgresText: text)
    }

    public static func decode(postgresBytes bytes: UnsafeBufferPointer<UInt8>) throws(RowDecodingError) -> Wrapped? {
        try Wrapped.decode(postgresBytes: bytes)
    }

    public static func decodeNull(column: String) -> Wrapped? { nil }
}
