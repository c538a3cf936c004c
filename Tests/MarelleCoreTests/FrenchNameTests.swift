import MarelleCore
import Testing

@Suite("An association's name after « de »")
struct FrenchNameTests {
    @Test("articles contract, vowels elide, other names take « de »")
    func articles() {
        for (name, expected) in [
            ("Les Lutins de Provence", "des Lutins de Provence"), ("Le Petit Prince", "du Petit Prince"),
            ("La Ruche", "de la Ruche"), ("L'Envol", "de l'Envol"), ("Arc-en-ciel", "d'Arc-en-ciel"),
            ("Marelle", "de Marelle"), ("Écureuils", "d'Écureuils"), ("Lespinasse", "de Lespinasse"),
        ] {
            #expect(FrenchName.afterDe(name) == expected, "\(name)")
        }
    }

    @Test("English keeps the name as written: « the family portal of Les Lutins de Provence »")
    func english() {
        Language.$current.withValue(.en) {
            #expect(FrenchName.afterDe("  Les Lutins de Provence") == "Les Lutins de Provence")
        }
    }
}
