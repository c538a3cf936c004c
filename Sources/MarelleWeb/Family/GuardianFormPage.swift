import MarelleApp
import MarelleCore

extension GuardianForm {
    /// `guardian_form.mustache`: the civility's radio buttons, inside the frame both forms
    /// share (values, errors, consents).
    struct Page {
        let layout: LayoutModel
        let frame: FamilyFormFrame
        let mme: Bool
        let monsieur: Bool
        /// What the parent reads of their quotient familial (set by the association).
        let quotientShown: String
    }

    static func page(_ form: FormData, layout: LayoutModel, frame: FamilyFormFrame) -> Page {
        let quotient = form.text("quotient")
        return Page(
            layout: layout, frame: frame, mme: form.text("civility") == "Mme", monsieur: form.text("civility") == "M.",
            quotientShown: quotient.isEmpty ? tr("common.non_renseigne") : quotient)
    }
}
