/// Writes an `Encodable` value as JSON in one pass into a byte buffer, for the API's typed
/// bodies (`JSONReply`). Foundation's `JSONEncoder` builds a tree of boxed values first and
/// was a sixth of the server's CPU on the calendar (`make bench`); the bodies here are plain
/// structs, arrays, strings, numbers, booleans and optionals, which this writes directly.
/// Anything else (a `Date`, a nested container asked for by hand) throws
/// `JSONWriter.Unsupported`, and `JSONReply` falls back to `JSONEncoder`.
///
/// Like `JSONEncoder`: keys in declaration order, no whitespace, `/` left as is. Unlike it:
/// a nil optional is written `null` (the API's rule: a field the OpenAPI document lists is
/// always there, `null` when unknown) and a `Date` is an ISO 8601 instant in UTC.
import Foundation

public struct JSONWriter {
    public struct Unsupported: Error {
        public init() {}
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let output = Output()
        if let writable = value as? any JSONWritable {
            writable.write(to: output)
        } else {
            try output.write(value)
        }
        return output.bytes
    }

    /// The buffer the encoders of one value share. A class: nested encoders append to it.
    public final class Output {
        public internal(set) var bytes: [UInt8] = []

        public init() {
            bytes.reserveCapacity(4096)
        }

        public func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        public func string(_ text: String) {
            var text = text
            bytes.append(UInt8(ascii: "\""))
            // Runs that need no escape go in whole: one append per run, not one per byte
            // (per-byte appends were the writer's main cost on the calendar's day labels).
            text.withUTF8 { utf8 in
                var start = 0
                for (index, byte) in utf8.enumerated()
                where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                    escape(byte)
                    start = index + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }

        private func escape(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            default:
                raw("\\u00")
                bytes.append(JSONWriter.hexDigits[Int(byte >> 4)])
                bytes.append(JSONWriter.hexDigits[Int(byte & 0x0F)])
            }
        }

        public func number(_ value: some BinaryInteger) {
            bytes.append(contentsOf: String(value).utf8)
        }

        public func bool(_ value: Bool) {
            value ? raw("true") : raw("false")
        }

        /// A value: primitives directly, anything else through its `encode(to:)`, closing
        /// whatever container it opened.
        public func write<T: Encodable>(_ value: T) throws {
            switch value {
            case let text as String: string(text)
            case let number as Int: self.number(number)
            case let number as Int64: self.number(number)
            case let number as Int32: self.number(number)
            case let flag as Bool: bool(flag)
            // Numbers without an exact text here, and what `JSONEncoder` writes by strategy.
            case let instant as Date: string(instant.formatted(.iso8601))
            case is Double, is Float, is UInt, is UInt64, is Decimal, is Data, is URL: throw Unsupported()
            default:
                let encoder = ValueEncoder(output: self)
                try value.encode(to: encoder)
                switch encoder.opened {
                case .none, .refused: throw Unsupported()
                case .object: raw("}")
                case .array: raw("]")
                case .single: break
                }
            }
        }
    }

    enum Opened {
        case none, object, array, single
        /// A super-encoder: not a shape written here, so any container it opens refuses.
        case refused
    }

    /// The encoder one value's `encode(to:)` receives; it opens at most one container.
    final class ValueEncoder: Encoder {
        let output: Output
        var opened = Opened.none
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        init(output: Output, refused: Bool = false) {
            self.output = output
            if refused { opened = .refused }
        }

        private func open(_ kind: Opened) {
            guard opened == .none else { return }
            opened = kind
            switch kind {
            case .object: output.raw("{")
            case .array: output.raw("[")
            case .single, .none, .refused: break
            }
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            open(.object)
            return KeyedEncodingContainer(ObjectContainer<Key>(output: output, valid: opened == .object))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            open(.array)
            return ArrayContainer(output: output, valid: opened == .array)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            open(.single)
            return SingleContainer(output: output, valid: opened == .single)
        }
    }

    struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let output: Output
        /// False when the value asked for a second container: not a shape written here.
        let valid: Bool
        var codingPath: [any CodingKey] = []
        private var count = 0

        init(output: Output, valid: Bool) {
            self.output = output
            self.valid = valid
        }

        private mutating func key(_ key: Key) throws {
            guard valid else { throw Unsupported() }
            if count > 0 { output.raw(",") }
            count += 1
            output.string(key.stringValue)
            output.raw(":")
        }

        mutating func encodeNil(forKey key: Key) throws {
            try self.key(key)
            output.raw("null")
        }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try self.key(key)
            try output.write(value)
        }

        // The common leaves, without the generic path's dynamic casts.
        mutating func encode(_ value: String, forKey key: Key) throws {
            try self.key(key)
            output.string(value)
        }

        mutating func encode(_ value: Int, forKey key: Key) throws {
            try self.key(key)
            output.number(value)
        }

        mutating func encode(_ value: Bool, forKey key: Key) throws {
            try self.key(key)
            output.bool(value)
        }

        // Synthesized `Encodable` calls these for optionals; the defaults skip nil, the API
        // writes `null` instead. Each overload is its own requirement, hence the list.
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try valueOrNull(value, key) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try valueOrNull(value, key) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try valueOrNull(value, key) }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try valueOrNull(value, key) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try valueOrNull(value, key) }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try valueOrNull(value, key) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try valueOrNull(value, key) }

        private mutating func valueOrNull<T: Encodable>(_ value: T?, _ key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(ObjectContainer<NestedKey>(output: output, valid: false))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            ArrayContainer(output: output, valid: false)
        }

        mutating func superEncoder() -> any Encoder { ValueEncoder(output: output, refused: true) }

        mutating func superEncoder(forKey key: Key) -> any Encoder { ValueEncoder(output: output, refused: true) }
    }

    struct ArrayContainer: UnkeyedEncodingContainer {
        let output: Output
        let valid: Bool
        var codingPath: [any CodingKey] = []
        private(set) var count = 0

        init(output: Output, valid: Bool) {
            self.output = output
            self.valid = valid
        }

        private mutating func next() throws {
            guard valid else { throw Unsupported() }
            if count > 0 { output.raw(",") }
            count += 1
        }

        mutating func encodeNil() throws {
            try next()
            output.raw("null")
        }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try next()
            try output.write(value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey>
        {
            KeyedEncodingContainer(ObjectContainer<NestedKey>(output: output, valid: false))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            ArrayContainer(output: output, valid: false)
        }

        mutating func superEncoder() -> any Encoder { ValueEncoder(output: output, refused: true) }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let output: Output
        let valid: Bool
        var codingPath: [any CodingKey] = []
        private var used = false

        init(output: Output, valid: Bool) {
            self.output = output
            self.valid = valid
        }

        mutating func encodeNil() throws {
            guard valid, !used else { throw Unsupported() }
            used = true
            output.raw("null")
        }

        mutating func encode<T: Encodable>(_ value: T) throws {
            guard valid, !used else { throw Unsupported() }
            used = true
            try output.write(value)
        }
    }
}

/// A body that writes itself, field by field, for the responses served by the thousand (the
/// API calendar): even one pass through `Encodable` costs a dynamic cast per field. Its
/// `Encodable` conformance stays the reference: a test compares the two.
public protocol JSONWritable {
    func write(to output: JSONWriter.Output)
}
