import Crypto
import Foundation

/// Secrets handed to a browser or a client (session ids, bearer tokens, reset and invitation
/// links): 256 random bits, base64url. Only their SHA-256 is stored, so a copy of the
/// database lets nobody in.
public enum SecureToken {
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Hex SHA-256 of the token: what the database keeps and looks up.
    public static func digest(_ token: String) -> String {
        digest(bytes: Array(token.utf8))
    }

    /// Hex SHA-256 of any bytes (documents' checksums, request bodies behind an
    /// Idempotency-Key).
    public static func digest(bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex, by table: `String(format:)` per byte was 4 % of the server's CPU on a
    /// page (every request hashes its session id).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a string has the shape of a token, before any look-up.
    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.utf8.allSatisfy {
                ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F
            }
    }

    /// Compares two secrets in time independent of where they differ (CSRF tokens).
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
