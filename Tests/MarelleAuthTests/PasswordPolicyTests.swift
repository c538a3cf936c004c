import MarelleAuth
import MarelleCore
import Testing

@Suite("Password rules")
struct PasswordPolicyTests {
    let policy: PasswordPolicy
    let email = EmailAddress("marie.dupont@exemple.fr")

    init() throws {
        policy = try PasswordPolicy()
    }

    @Test("the list of common passwords holds at least 10,000 entries")
    func listSize() {
        #expect(policy.commonCount >= 10_000)
    }

    @Test(
        "long passphrases in any script are accepted, with no composition rules",
        arguments: [
            "le chat dort sur le canapé", "мой пароль очень длинный", "🎒🎒🎒 rentrée 2027 🎒🎒🎒", "aaaaaaaaaaab",
            String(repeating: "é", count: 256),
        ])
    func accepted(password: String) {
        #expect(policy.check(password, email: email, slug: "les-petits-malins") == nil)
    }

    @Test(
        "refusals say why",
        arguments: [
            ("court", PasswordProblem.tooShort(minimum: 12)),
            ("onze carac", .tooShort(minimum: 12)),
            (String(repeating: "x", count: 257), .tooLong(maximum: 256)),
            ("azertyuiop123", .common),
            ("AzertyUiop123", .common),
            ("marie.dupont-2027!", .containsEmail),
            ("vive les-petits-malins", .containsAssociation),
            ("LesPetitsMalins2027", .containsAssociation),
        ])
    func refused(password: String, problem: PasswordProblem) {
        #expect(policy.check(password, email: email, slug: "les-petits-malins") == problem)
    }

    @Test("every refusal has a French message")
    func messages() {
        for problem in [
            PasswordProblem.tooShort(minimum: 12), .tooLong(maximum: 256), .common, .containsEmail, .containsAssociation,
            .mismatch,
        ] {
            #expect(!problem.message.isEmpty)
            #expect(problem.message.hasSuffix("."))
        }
    }
}
