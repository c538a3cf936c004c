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
            case .validated: (css, word, label) = ("validated", "validé", "validée")
            case .waiting: (css, word, label) = ("waiting", "attente", "sur liste d'attente")
            case .cancelRequested: (css, word, label) = ("validated", "annul. dem.", "annulation demandée")
            default: (css, word, label) = ("requested", "demandé", "demandée, à valider par l'équipe")
            }
            return
        }
        if inBasket {
            (css, word, label) = ("basket", "panier", "dans le panier")
            return
        }
        switch state {
        case .free(let price): (css, word, label) = ("free", price.description, "libre · \(price)")
        case .full: (css, word, label) = ("full", "attente", "complet : liste d'attente")
        case .pastDeadline: (css, word, label) = ("closed", "délai", "délai d'inscription dépassé")
        case .outsideWindow: (css, word, label) = ("closed", "pas ouvert", "inscriptions pas encore ouvertes")
        case .notAllowed: (css, word, label) = ("closed", "—", "non accessible pour cet enfant")
        case .closed:
            if let closure {
                (css, word, label) = ("closed", "fermé", closure.isEmpty ? "fermé" : "fermé : \(closure)")
            } else {
                // Not a day of the activity (weekday, outside its periods) or a public holiday.
                (css, word, label) = ("none", "", "pas d'activité")
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
