/// A Business Identifier Code (ISO 9362): 4 letters for the bank, 2 for its country, 2
/// letters or digits for the place, optionally 3 for the branch.
public struct BIC: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public struct Invalid: Error, Sendable, Hashable {}

    public init(_ text: String) throws(Invalid) {
        let compact = String(text.uppercased().filter { !$0.isWhitespace })
        let characters = Array(compact)
        guard characters.count == 8 || characters.count == 11, characters.allSatisfy(\.isASCII),
            characters[0..<6].allSatisfy(\.isLetter), characters[6...].allSatisfy({ $0.isLetter || $0.isNumber })
        else { throw Invalid() }
        value = compact
    }

    public var country: String { String(value.dropFirst(4).prefix(2)) }
    public var description: String { value }
}
