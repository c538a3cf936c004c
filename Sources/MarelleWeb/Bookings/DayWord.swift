import MarelleCore
import MarelleRendering

/// A day of step 3's grid said in a word and a colour: what the family has there (booked,
/// in the basket), else what it may do (libre with its price, liste d'attente when full), else
/// why not (fermé with the closure's reason, férié, délai dépassé, pas d'activité...).
struct DayWord {
    /// The cell's class, for its colour (the legend's).
    let css: String
    /// The short word shown under the day's number.
    let word: String
    /// The whole state, for the box's accessible name and the tooltip.
    let label: String

    init(state: DayAvailability, booking: BookingStatus?, inBasket: Bool, closure: String?) {
        if let booking {
            switch booking {
            case .validated: (css, word, label) = ("validated", tr("common.valide"), tr("common.validee"))
            case .waiting: (css, word, label) = ("waiting", "attente", tr("DayWord.sur_liste_d_attente"))
            case .cancelRequested: (css, word, label) = ("validated", "annul. dem.", tr("common.annulation_demandee"))
            default: (css, word, label) = ("requested", tr("DayWord.demande"), tr("common.demandee_a_valider_par_l"))
            }
            return
        }
        if inBasket {
            (css, word, label) = ("basket", "panier", tr("common.dans_le_panier"))
            return
        }
        switch state {
        case .free(let price): (css, word, label) = ("free", price.description, tr("DayWord.libre_1", price))
        case .full: (css, word, label) = ("full", "attente", tr("DayWord.complet_liste_d_attente"))
        case .pastDeadline: (css, word, label) = ("closed", tr("DayWord.delai"), tr("DayWord.delai_d_inscription_depasse"))
        case .outsideWindow:
            (css, word, label) = ("closed", tr("DayWord.pas_ouvert"), tr("DayWord.inscriptions_pas_encore_ouvertes"))
        case .notAllowed: (css, word, label) = ("closed", "—", tr("DayWord.non_accessible_pour_cet_enfant"))
        case .closed:
            if let closure {
                (css, word, label) = (
                    "closed", tr("DayWord.ferme"), closure.isEmpty ? tr("DayWord.ferme") : tr("DayWord.ferme_1", closure)
                )
            } else {
                // Not a day of the activity (weekday, outside its periods) or a public holiday.
                (css, word, label) = ("none", "", tr("DayWord.pas_d_activite"))
            }
        }
    }

    func write(_ out: inout HTMLWriter) {
        guard !word.isEmpty else { return }
        out.raw("<small>")
        out.text(word)
        out.raw("</small>")
    }
}
