import MarelleAuth
import MarelleCore
import Testing

@Suite("Tokens and e-mail addresses")
struct TokenTests {
    @Test("tokens carry 256 random bits in base64url and are stored as SHA-256")
    func tokens() {
        let a = SecureToken.generate()
        let b = SecureToken.generate()
        #expect(a != b)
        #expect(SecureToken.isWellFormed(a))
        #expect(SecureToken.digest(a).count == 64)
        #expect(SecureToken.digest(a) == SecureToken.digest(a))
        #expect(!SecureToken.isWellFormed(a + "x"))
        #expect(!SecureToken.isWellFormed("'; DROP TABLE sessions; --"))
        #expect(SecureToken.constantTimeEquals(a, a))
        #expect(!SecureToken.constantTimeEquals(a, b))
        #expect(!SecureToken.constantTimeEquals(a, ""))
    }

    @Test("addresses are trimmed and lower-cased; malformed ones are refused")
    func emails() {
        #expect(EmailAddress("  Marie.Dupont@Exemple.FR ")?.value == "marie.dupont@exemple.fr")
        #expect(EmailAddress("marie.dupont@exemple.fr")?.localPart == "marie.dupont")
        for bad in [
            "", "marie", "marie@", "@exemple.fr", "marie@exemple", "ma rie@exemple.fr", "a@b@c.fr", "marie@exemple..fr",
            "<x>@y.fr",
        ] {
            #expect(EmailAddress(bad) == nil, "\(bad)")
        }
    }
}
