/// An association's name after "de", as French says it: "Portail Familles des Lutins de
/// Provence", "du Petit Prince", "de la Ruche", "de l'Envol", "d'Arc-en-ciel", "de Marelle".
/// English texts say "of {name}" and keep the name as written ("of Les Lutins de Provence").
public enum FrenchName {
    public static func afterDe(_ name: String) -> String {
        let trimmed = Substring(name).drop(while: \.isWhitespace)
        guard Language.current == .fr else { return String(trimmed) }
        for (article, replacement) in [("Les ", "des "), ("Le ", "du "), ("La ", "de la "), ("L'", "de l'"), ("L’", "de l’")] {
            if trimmed.hasPrefix(article) || trimmed.hasPrefix(article.lowercased()) {
                return replacement + trimmed.dropFirst(article.count)
            }
        }
        if let first = trimmed.first, "AEIOUYÉÈÊÂÎÔÛHaeiouyéèêâîôûh".contains(first) { return "d'" + trimmed }
        return "de " + trimmed
    }
}
