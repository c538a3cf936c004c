import Crypto
import Foundation

/// Encrypts second-factor secrets at rest with the configuration's `secondFactorKey`
/// (AES-256-GCM): a copy of the database alone does not give anyone the codes. The sealed
/// form is a version byte, then GCM's nonce, ciphertext and tag.
public struct SecretBox: Sendable {
    private let key: SymmetricKey
    static let version: UInt8 = 1

    public enum Failure: Error, Equatable {
        /// Not 32 bytes of base64.
        case badKey
        /// Sealed with another key, or altered.
        case cannotOpen
    }

    /// `base64`: 32 random bytes (`openssl rand -base64 32`).
    public init(base64 text: String) throws(Failure) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw .badKey
        }
        key = SymmetricKey(data: data)
    }

    public static func isValidKey(_ text: String) -> Bool { (try? SecretBox(base64: text)) != nil }

    public func seal(_ plaintext: [UInt8]) -> [UInt8] {
        // AES.GCM.seal only throws for a malformed nonce or key size, which cannot happen here.
        let box = try! AES.GCM.seal(plaintext, using: key)
        return [Self.version] + Array(box.combined!)
    }

    public func open(_ sealed: [UInt8]) throws(Failure) -> [UInt8] {
        guard sealed.first == Self.version, let box = try? AES.GCM.SealedBox(combined: sealed.dropFirst()),
            let plain = try? AES.GCM.open(box, using: key)
        else { throw .cannotOpen }
        return Array(plain)
    }
}
