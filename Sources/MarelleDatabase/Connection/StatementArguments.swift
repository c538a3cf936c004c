import CLibPQ
import Foundation

// What a statement becomes on its way to libpq: its cache key, its binds, and the C arrays
// libpq's calls take.

/// A statement's identity in a connection's cache of prepared statements: its text with
/// placeholders numbered, and the types of its parameters.
struct StatementKey: Hashable {
    let text: String
    let types: [UInt32]

    var oids: [Oid] { types.map { Oid($0) } }
}

/// A statement rendered for this connection: placeholders numbered, identifiers quoted.
struct RenderedStatement {
    let key: StatementKey
    let binds: [PostgresBind]
    let sql: SQL
}

/// Passes the binds as libpq's three parallel arrays. libpq copies parameter values into
/// its output buffer during the call, so pointers that live for the call are enough.
func withParameterArrays<R>(
    _ binds: [PostgresBind],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
) -> R {
    let formats = binds.map { Int32($0.isBinary ? 1 : 0) }
    let lengths = binds.map { Int32($0.bytes?.count ?? 0) }
    let storage = binds.map { bind -> UnsafeMutablePointer<CChar>? in
        guard let bytes = bind.bytes else { return nil }
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        bytes.withUnsafeBufferPointer { src in
            src.withMemoryRebound(to: CChar.self) {
                if let base = $0.baseAddress { p.initialize(from: base, count: bytes.count) }
            }
        }
        p[bytes.count] = 0
        return p
    }
    defer { storage.forEach { $0?.deallocate() } }
    let values: [UnsafePointer<CChar>?] = storage.map { $0.map { UnsafePointer($0) } }
    return values.withUnsafeBufferPointer { v in
        lengths.withUnsafeBufferPointer { l in
            formats.withUnsafeBufferPointer { f in body(v.baseAddress, l.baseAddress, f.baseAddress) }
        }
    }
}

/// Passes a Swift string array as a NULL-terminated `const char* const*`.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    let constPointers = pointers.map { $0.map { UnsafePointer($0) } }
    return constPointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
