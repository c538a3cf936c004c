/// The SEPA creditor identifier (in France the ICS, given by the association's bank on behalf
/// of the Banque de France): country, 2 check digits, a 3-character business code that the
/// checksum skips (ZZZ by default), and the national identifier. FR72ZZZ123456.
public struct CreditorIdentifier: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public struct Invalid: Error, Sendable, Hashable {}

    public init(_ text: String) throws(Invalid) {
        let compact = String(text.uppercased().filter { !$0.isWhitespace })
        let characters = Array(compact)
        guard (8...35).contains(characters.count), characters.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            characters[0..<2].allSatisfy(\.isLetter), characters[2..<4].allSatisfy(\.isNumber),
            compact.hasPrefix("FR") ? characters.count == 13 : true
        else { throw Invalid() }
        // The checksum covers the national identifier, then the country and check digits.
        guard IBAN.mod97(String(characters[7...]) + String(characters[0..<4])) == 1 else { throw Invalid() }
        value = compact
    }

    public var description: String { value }
}
