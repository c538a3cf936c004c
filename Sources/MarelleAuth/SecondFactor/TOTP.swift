import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30-second
/// steps, 6 digits, the parameters every authenticator app uses by default.
public struct TOTP: Sendable {
    public let secret: [UInt8]
    public static let stepSeconds = 30
    public static let digits = 6
    /// Steps accepted on either side of now: a phone's clock a little off, a code typed as
    /// it changed (RFC 6238 section 5.2 recommends at most one).
    public static let drift = 1

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    /// A new 160-bit secret (RFC 4226 section 4 asks for at least 128, recommends 160).
    public static func newSecret() -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }

    public static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(stepSeconds)).rounded(.down))
    }

    /// The code of one step, zero-padded to six digits.
    public func code(step: Int64) -> String {
        var counter = UInt64(step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        // Dynamic truncation (RFC 4226 section 5.3).
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        let value = binary % 1_000_000
        let text = String(value)
        return String(repeating: "0", count: Self.digits - text.count) + text
    }

    public func code(at date: Date) -> String { code(step: Self.step(at: date)) }

    /// The step whose code `typed` is, within the drift window, and later than `after` (a code
    /// once used, or any older one, is refused: RFC 6238 section 5.2); nil otherwise. Spaces
    /// typed between the digits are ignored.
    public func matchingStep(_ typed: String, at date: Date, after lastUsed: Int64?) -> Int64? {
        let digits = typed.filter { $0 != " " }
        guard digits.count == Self.digits, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let now = Self.step(at: date)
        var found: Int64?
        // Every step of the window is computed whatever matches, so the time taken says nothing.
        for step in (now - Int64(Self.drift))...(now + Int64(Self.drift)) {
            if SecureToken.constantTimeEquals(code(step: step), digits), step > (lastUsed ?? Int64.min) { found = step }
        }
        return found
    }

    /// The `otpauth://` URI authenticator apps read from the QR code (Google's Key URI
    /// format: issuer in the label and as a parameter).
    public func provisioningURI(issuer: String, account: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@"))
        let i = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? "Marelle"
        let a = account.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return "otpauth://totp/\(i):\(a)?secret=\(Base32.encode(secret))&issuer=\(i)&algorithm=SHA1&digits=6&period=30"
    }
}
