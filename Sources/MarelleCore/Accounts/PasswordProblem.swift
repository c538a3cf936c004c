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
        case .tooShort(let n): tr("PasswordProblem.le_mot_de_passe_doit", n)
        case .tooLong(let n): tr("PasswordProblem.le_mot_de_passe_ne", n)
        case .common: tr("PasswordProblem.ce_mot_de_passe_est")
        case .containsEmail: tr("PasswordProblem.le_mot_de_passe_ne_2")
        case .containsAssociation: tr("PasswordProblem.le_mot_de_passe_ne_3")
        case .predictable(let reason):
            tr("PasswordProblem.ce_mot_de_passe_serait", reason)
        case .mismatch: tr("PasswordProblem.les_deux_mots_de_passe")
        }
    }
}
