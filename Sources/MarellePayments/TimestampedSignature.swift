import Crypto
import Foundation

/// The signature Stripe puts on its webhooks, also used by the fake provider: a header
/// `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>`. A
/// signature older or newer than `tolerance` is refused, so a captured notification cannot be
/// replayed later.
public enum TimestampedSignature {
    public static let tolerance: TimeInterval = 300

    public static func header(body: [UInt8], secret: String, timestamp: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: signed(body, timestamp), using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    public static func verify(body: [UInt8], header: String?, secret: String, now: Date, tolerance: TimeInterval = tolerance)
        -> Bool
    {
        guard let header, !secret.isEmpty else { return false }
        var timestamp: Int?
        var candidates: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "t": timestamp = Int(pair[1])
            case "v1": if let bytes = hex(pair[1]) { candidates.append(bytes) }
            default: continue
            }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else { return false }
        let key = SymmetricKey(data: Array(secret.utf8))
        let message = signed(body, timestamp)
        // Constant time: HMAC's own comparison.
        return candidates.contains { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: message, using: key) }
    }

    private static func signed(_ body: [UInt8], _ timestamp: Int) -> [UInt8] {
        Array("\(timestamp).".utf8) + body
    }

    private static func hex(_ text: Substring) -> [UInt8]? {
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
