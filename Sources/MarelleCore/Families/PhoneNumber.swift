/// A French phone number as people type it ("06 12 34 56 78", "06.12.34.56.78",
/// "+33 6 12 34 56 78"), stored in the national form with spaces: "06 12 34 56 78".
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    public let digits: String

    public init?(_ raw: String) {
        var text = raw.filter { !" .-()\u{00A0}".contains($0) }
        if text.hasPrefix("+33") {
            text = "0" + text.dropFirst(3)
        } else if text.hasPrefix("0033") {
            text = "0" + text.dropFirst(4)
        }
        guard text.count == 10, text.first == "0", text.allSatisfy(\.isASCIIDigit), text.dropFirst().first != "0" else {
            return nil
        }
        digits = text
    }

    public var description: String {
        stride(from: 0, to: 10, by: 2).map { i in
            let start = digits.index(digits.startIndex, offsetBy: i)
            return String(digits[start..<digits.index(start, offsetBy: 2)])
        }.joined(separator: " ")
    }
}
