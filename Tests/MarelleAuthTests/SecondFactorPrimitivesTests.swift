import Foundation
import MarelleAuth
import Testing

@Suite("TOTP, base32, sealed secrets, recovery codes")
struct SecondFactorPrimitivesTests {
    /// RFC 6238 appendix B (SHA-1 key "12345678901234567890"): the last six of its eight digits.
    @Test("codes match RFC 6238's test vectors")
    func rfc6238() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let vectors: [(TimeInterval, String)] = [
            (59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"),
            (2_000_000_000, "279037"), (20_000_000_000, "353130"),
        ]
        for (seconds, code) in vectors {
            #expect(totp.code(at: Date(timeIntervalSince1970: seconds)) == code, "T=\(seconds)")
        }
    }

    @Test("a code is accepted one step either side, never twice, never in another form")
    func matching() {
        let totp = TOTP(secret: TOTP.newSecret())
        let now = Date()
        let step = TOTP.step(at: now)
        #expect(totp.matchingStep(totp.code(step: step), at: now, after: nil) == step)
        #expect(totp.matchingStep(totp.code(step: step - 1), at: now, after: nil) == step - 1)
        #expect(totp.matchingStep(totp.code(step: step + 1), at: now, after: nil) == step + 1)
        #expect(totp.matchingStep(totp.code(step: step + 2), at: now, after: nil) == nil)
        #expect(totp.matchingStep(totp.code(step: step), at: now, after: step) == nil)
        #expect(totp.matchingStep(totp.code(step: step - 1), at: now, after: step) == nil)
        let spaced = totp.code(step: step).enumerated().map { $0.offset == 3 ? " \($0.element)" : "\($0.element)" }.joined()
        #expect(totp.matchingStep(spaced, at: now, after: nil) == step)
        for bad in ["", "12345", "1234567", "abcdef", "１２３４５６", String(repeating: "9", count: 10_000)] {
            #expect(totp.matchingStep(bad, at: now, after: nil) == nil, "\(bad.prefix(8))")
        }
    }

    @Test("base32 follows RFC 4648 and round-trips")
    func base32() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.encode(Array("f".utf8)) == "MY")
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        let secret = TOTP.newSecret()
        #expect(secret.count == 20)
        #expect(Base32.decode(Base32.encode(secret)) == secret)
        #expect(Base32.decode("M1") == nil)
    }

    @Test("the provisioning URI names the issuer and the account, escaped")
    func uri() {
        let uri = TOTP(secret: Array("12345678901234567890".utf8)).provisioningURI(
            issuer: "Les Loupiots & Cie", account: "marie@exemple.fr")
        #expect(uri.hasPrefix("otpauth://totp/"))
        #expect(uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
        #expect(uri.contains("issuer=Les%20Loupiots%20%26%20Cie"))
        #expect(!uri.contains(" "))
    }

    @Test("a sealed secret opens with its key only, and not once altered")
    func secretBox() throws {
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let other = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let box = try SecretBox(base64: key)
        let secret = TOTP.newSecret()
        var sealed = box.seal(secret)
        #expect(try box.open(sealed) == secret)
        #expect(box.seal(secret) != sealed)
        #expect(throws: SecretBox.Failure.cannotOpen) { try SecretBox(base64: other).open(sealed) }
        sealed[sealed.count - 1] ^= 1
        #expect(throws: SecretBox.Failure.cannotOpen) { try box.open(sealed) }
        #expect(throws: SecretBox.Failure.cannotOpen) { try box.open([]) }
        #expect(!SecretBox.isValidKey("short"))
        #expect(!SecretBox.isValidKey(Data(count: 16).base64EncodedString()))
        #expect(SecretBox.isValidKey(key))
    }

    @Test("recovery codes: ten distinct, any case and dash, compared by digest")
    func recoveryCodes() {
        let codes = RecoveryCodes.generate()
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        for code in codes {
            #expect(RecoveryCodes.looksLikeOne(code))
            #expect(
                RecoveryCodes.digest(code) == RecoveryCodes.digest(code.uppercased().replacingOccurrences(of: "-", with: " ")))
        }
        #expect(!RecoveryCodes.looksLikeOne("123456"))
        #expect(RecoveryCodes.digest(codes[0]) != RecoveryCodes.digest(codes[1]))
    }
}
