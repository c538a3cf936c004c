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
            "le chat dort sur le canapé", "мой пароль очень длинный", "🎒🎒🎒 rentrée 2027 🎒🎒🎒",
            "vive les vacances de printemps", "Tr0mbone-Cerise-47", "correct horse battery staple",
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

    @Test(
        "passwords made the way people make them are refused, with the reason shown",
        arguments: [
            ("azertyuiop12", "clavier"), ("azertyuiop123456", "clavier"), ("aaaaaaaaaaab", "répète"),
            ("abcdefghijklmn", "suite"), ("Bonjour12345!", "mot courant"), ("P4ssw0rd20242024", "mot courant"),
            ("marseille2019", "mot courant"), ("qsdfghjklm1990", "clavier"),
        ])
    func predictable(password: String, reasonWord: String) {
        let problem = policy.check(password, email: email, slug: "les-petits-malins")
        guard case .predictable(let reason) = problem else {
            Issue.record("\(password): \(String(describing: problem))")
            return
        }
        #expect(reason.contains(reasonWord), "\(password): \(reason)")
        #expect(problem?.message.contains(reason) == true)
    }

    @Test("every refusal has a French message")
    func messages() {
        for problem in [
            PasswordProblem.tooShort(minimum: 12), .tooLong(maximum: 256), .common, .containsEmail, .containsAssociation,
            .predictable(reason: "il repose sur un mot courant (« soleil »)"), .mismatch,
        ] {
            #expect(!problem.message.isEmpty)
            #expect(problem.message.hasSuffix("."))
        }
    }
}
