import MarelleCore
import MarelleStore

extension SubmitBasket.LineResult {
    /// What became of the line, in French, as the confirmation page and the "demande reçue"
    /// mail both say it (written once, here).
    public var outcomeText: String {
        switch outcome {
        case .requested: tr("OutcomeText.demandee_l_equipe_va_la")
        case .validated: tr("common.validee")
        case .waiting: tr("OutcomeText.complet_sur_liste_d_attente")
        case .cancelRequested: tr("OutcomeText.annulation_demandee_l_equipe_va")
        case .cancelled: tr("common.annulee")
        case .refused: tr("OutcomeText.refusee_1", reason ?? "")
        }
    }

    /// The line itself: day, activity, child and kind.
    public var summaryText: String {
        "\(day.french) · \(activityName) · \(childName) · \(kind.label)"
    }
}
