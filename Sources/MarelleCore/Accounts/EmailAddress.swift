import Foundation

/// An e-mail address as accounts know it: trimmed and lower-cased, so that
/// `Marie.Dupont@Exemple.fr` and `marie.dupont@exemple.fr` are one account.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// A pragmatic check (one @, a dot in the domain, no spaces or controls, 254 bytes at
    /// most): the real proof is the link we send to it.
    public init?(_ raw: String) {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard text.utf8.count <= 254, let at = text.firstIndex(of: "@") else { return nil }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        guard !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty, !domain.contains("@"),
            domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
            text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains($0) }
            )
        else { return nil }
        value = text
    }

    public var localPart: String { String(value[..<value.firstIndex(of: "@")!]) }
    public var description: String { value }
}
