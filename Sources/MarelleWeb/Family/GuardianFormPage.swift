import MarelleApp
import MarelleCore

extension GuardianForm {
    /// `guardian_form.mustache`: the fields as typed (or saved), inside the frame both forms share.
    struct Page {
        let layout: LayoutModel
        let frame: FamilyFormFrame
        let values: [String: String]
        let errors: [String: String]
        let hasErrors: Bool
        let mme: Bool
        let monsieur: Bool
    }

    static func page(_ form: FormData, problems: [FieldProblem], layout: LayoutModel, frame: FamilyFormFrame) -> Page {
        var values: [String: String] = [:]
        for key in textFields { values[key] = form.text(key) }
        return Page(
            layout: layout, frame: frame, values: values, errors: FormErrors.byField(problems), hasErrors: !problems.isEmpty,
            mme: form.text("civility") == "Mme", monsieur: form.text("civility") == "M.")
    }
}
