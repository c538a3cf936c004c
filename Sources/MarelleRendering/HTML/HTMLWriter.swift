/// Builds an HTML fragment in Swift, for the few parts of a page that repeat by the hundred
/// (a month's grid, a list of dates): Mustache looks every name up at run time, through
/// dynamic casts up its context stack, and those lookups were two thirds of the server's CPU
/// on Mon calendrier (`make bench`). Text is escaped as Mustache's `{{name}}` escapes it.
///
/// The fragment grows as bytes and becomes a `String` once: appending to a `String` piece by
/// piece (and scalar by scalar for escaping) was a tenth of the server's CPU on that page.
public struct HTMLWriter {
    private var bytes: [UInt8] = []

    public init() {
        bytes.reserveCapacity(8192)
    }

    public var html: String { String(decoding: bytes, as: UTF8.self) }

    /// Markup written as is: only string literals of the view, never data.
    public mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text, escaped (`<`, `>`, `&`, `"` and `'`).
    public mutating func text(_ value: String) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "\""): raw("&quot;")
            case UInt8(ascii: "'"): raw("&#39;")
            default: bytes.append(byte)
            }
        }
    }

    public mutating func text(_ value: Int) {
        text(String(value))
    }
}
