import MarelleAuth
import MarelleCore
import Testing

@Suite("Look-alike e-mail addresses (Unicode TR #39)")
struct ConfusablesTests {
    @Test("a Cyrillic or Greek letter in place of a Latin one has the Latin address's skeleton")
    func skeletons() {
        #expect(Confusables.skeleton("p\u{0430}ul@exemple.fr") == Confusables.skeleton("paul@exemple.fr"))
        #expect(Confusables.skeleton("\u{03BF}scar@exemple.fr") == Confusables.skeleton("oscar@exemple.fr"))
        #expect(Confusables.skeleton("paul@exemple.fr") != Confusables.skeleton("paula@exemple.fr"))
    }

    @Test("only a non-ASCII address is held against the existing ones; ASCII look-alikes are two ordinary addresses")
    func lookalikes() throws {
        let existing = ["paul@exemple.fr", "barnard@exemple.fr"]
        let cyrillic = try #require(EmailAddress("p\u{0430}ul@exemple.fr"))
        #expect(Confusables.lookalike(of: cyrillic, among: existing) == "paul@exemple.fr")
        #expect(Confusables.lookalike(of: try #require(EmailAddress("bamard@exemple.fr")), among: existing) == nil)
        #expect(Confusables.lookalike(of: try #require(EmailAddress("zoé@exemple.fr")), among: existing) == nil)
    }
}
