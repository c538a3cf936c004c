import MarelleCore
import MarelleStore

extension SubmitBasket.LineResult {
    /// What became of the line, in French, as the confirmation page and the "demande reçue"
    /// mail both say it (written once, here).
    public var frenchOutcome: String {
        switch outcome {
        case .requested: "demandée : l'équipe va la valider"
        case .validated: "validée"
        case .waiting: "complet : sur liste d'attente, vous aurez la place dès qu'elle se libère"
        case .cancelRequested: "annulation demandée : l'équipe va la valider"
        case .cancelled: "annulée"
        case .refused: "refusée : \(reason ?? "")"
        }
    }

    /// The line itself: day, activity, child and kind.
    public var frenchSummary: String {
        "\(day.french) · \(activityName) · \(childName) · \(kind.french)"
    }
}
