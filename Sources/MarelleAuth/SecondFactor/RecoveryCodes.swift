/// The ten single-use codes a staff member keeps on paper in case the phone is lost: 10
/// characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as `xxxxx-xxxxx`,
/// about 50 bits each. Only their SHA-256 is stored.
public enum RecoveryCodes {
    public static let count = 10
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789".utf8)

    public static func generate() -> [String] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let chars = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            return String(decoding: chars[0..<5], as: UTF8.self) + "-" + String(decoding: chars[5...], as: UTF8.self)
        }
    }

    /// The form a typed code is compared in: lower case, without the dash or spaces.
    public static func normalized(_ typed: String) -> String {
        String(typed.lowercased().filter { $0 != "-" && $0 != " " })
    }

    /// Whether a typed text has the shape of a recovery code (rather than a six-digit TOTP).
    public static func looksLikeOne(_ typed: String) -> Bool {
        let n = normalized(typed)
        return n.utf8.count == 10 && n.utf8.allSatisfy { alphabet.contains($0) }
    }

    public static func digest(_ typed: String) -> String { SecureToken.digest(normalized(typed)) }
}
