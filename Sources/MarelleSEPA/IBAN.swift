/// An International Bank Account Number of the SEPA area, checked as a bank checks it: the
/// country's length, then the ISO 7064 mod 97-10 checksum. Stored and written without
/// spaces, shown in groups of four, and masked on pages that are not the family's own.
public struct IBAN: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public enum Problem: Error, Sendable, Hashable {
        case empty, characters, country, length(expected: Int), checksum
    }

    /// The SEPA scheme's countries and territories with their IBAN lengths (the French
    /// overseas departments use FR).
    static let lengths: [String: Int] = [
        "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
        "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
        "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28,
        "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
    ]

    public init(_ text: String) throws(Problem) {
        let compact = String(text.uppercased().filter { !$0.isWhitespace && $0 != "-" })
        guard !compact.isEmpty else { throw .empty }
        guard compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { throw .characters }
        let country = String(compact.prefix(2))
        guard let length = Self.lengths[country], compact.prefix(2).allSatisfy(\.isLetter) else { throw .country }
        guard compact.count == length else { throw .length(expected: length) }
        guard Self.mod97(String(compact.dropFirst(4) + compact.prefix(4))) == 1 else { throw .checksum }
        value = compact
    }

    /// ISO 7064 mod 97-10 of an alphanumeric string (A = 10 … Z = 35), digit by digit so that
    /// no big number is needed. Also the creditor identifier's checksum.
    static func mod97(_ text: String) -> Int {
        var remainder = 0
        for character in text {
            guard let digit = character.isNumber ? character.wholeNumberValue : Int(character.asciiValue ?? 0) - 55 else {
                continue
            }
            remainder = digit >= 10 ? (remainder * 100 + digit) % 97 : (remainder * 10 + digit) % 97
        }
        return remainder
    }

    public var country: String { String(value.prefix(2)) }

    /// In groups of four, as printed on a RIB.
    public var grouped: String {
        stride(from: 0, to: value.count, by: 4).map { start in
            let from = value.index(value.startIndex, offsetBy: start)
            return String(value[from..<(value.index(from, offsetBy: 4, limitedBy: value.endIndex) ?? value.endIndex)])
        }.joined(separator: " ")
    }

    /// The country, the checksum and the last four characters: enough to recognise one's
    /// account, not enough to use it.
    public var masked: String { Self.mask(value) }

    /// `masked` for a stored value that may not be valid any more.
    public static func mask(_ value: String) -> String {
        guard value.count > 8 else { return value }
        return "\(value.prefix(4)) •••• \(value.suffix(4))"
    }

    public var description: String { value }
}
