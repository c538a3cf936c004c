/// The name of an association in its host name (`les-petits-malins` in
/// `les-petits-malins.example.org`): one lower-case DNS label.
public struct TenantSlug: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String) throws(TenantSlugError) {
        guard !raw.isEmpty else { throw .empty }
        guard raw.utf8.count <= 63 else { throw .tooLong }
        let allowed = raw.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        guard allowed else { throw .invalidCharacters(raw) }
        guard raw.first != "-", raw.last != "-" else { throw .hyphenAtEdge(raw) }
        // "xn--" labels are punycode; accepting them would let a look-alike name in.
        guard !raw.hasPrefix("xn--") else { throw .invalidCharacters(raw) }
        value = raw
    }

    public var description: String { value }
}

public enum TenantSlugError: Error, Equatable, CustomStringConvertible {
    case empty
    case tooLong
    case invalidCharacters(String)
    case hyphenAtEdge(String)

    public var description: String {
        switch self {
        case .empty: "the slug is empty"
        case .tooLong: "the slug is longer than 63 characters"
        case .invalidCharacters(let s):
            "'\(s)' is not a DNS label: use only a-z, 0-9 and '-'"
        case .hyphenAtEdge(let s): "'\(s)' starts or ends with '-'"
        }
    }
}
