/// Why a new password is refused, in words for the person choosing it.
public enum PasswordProblem: Error, Equatable, Sendable {
    case tooShort(minimum: Int)
    case tooLong(maximum: Int)
    case common
    case containsEmail
    case containsAssociation
    /// Quickly guessed from how it is made; `reason` says how, in French.
    case predictable(reason: String)
    case mismatch

    public var message: String {
        switch self {
        case .tooShort(let n): "Le mot de passe doit contenir au moins \(n) caractères."
        case .tooLong(let n): "Le mot de passe ne peut pas dépasser \(n) caractères."
        case .common: "Ce mot de passe est trop courant : choisissez-en un autre, une phrase par exemple."
        case .containsEmail: "Le mot de passe ne doit pas contenir votre adresse e-mail."
        case .containsAssociation: "Le mot de passe ne doit pas contenir le nom de l'association."
        case .predictable(let reason):
            "Ce mot de passe serait vite deviné : \(reason). Une phrase de quelques mots est plus sûre et plus facile à retenir."
        case .mismatch: "Les deux mots de passe ne sont pas identiques."
        }
    }
}
