/// A mandate's unique reference (RUM, "référence unique du mandat"): at most 35 characters of
/// the SEPA set, no spaces, unique for the creditor. A paper form may carry its own; Marelle
/// makes one otherwise.
public struct MandateReference: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public struct Invalid: Error, Sendable, Hashable {}

    static let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+?/-:().,'")

    public init(_ text: String) throws(Invalid) {
        let trimmed = String(text.filter { !$0.isWhitespace })
        // EPC: a reference must not start or end with '/' nor contain '//'.
        guard (1...35).contains(trimmed.count), trimmed.allSatisfy(Self.allowed.contains), !trimmed.hasPrefix("/"),
            !trimmed.hasSuffix("/"), !trimmed.contains("//")
        else { throw Invalid() }
        value = trimmed
    }

    /// The reference Marelle gives a mandate: the association's short name and the mandate's
    /// number, e.g. `LESPETITSLOUPS-M000012`.
    public static func generated(association: String, number: Int) -> MandateReference {
        let prefix = String(SEPAText.latin(association, max: 70).uppercased().filter { $0.isLetter || $0.isNumber }.prefix(20))
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        // Letters, digits and one hyphen, at most 20 + 2 + 7 characters: always a valid reference.
        return MandateReference(trusted: "\(prefix.isEmpty ? "MARELLE" : prefix)-M\(padded)")
    }

    private init(trusted: String) { value = trusted }

    public var description: String { value }
}
