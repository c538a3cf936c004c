/// What `wizard_planning.mustache` shows (step 3): the chosen children's months, drawn by
/// `PlanningModel`, and the form "Ou par période".
struct PlanningPage {
    let layout: LayoutModel
    let steps: [WizardStep]
    /// The chosen child-activity pairs as a query string, carried by the forms.
    let query: String
    let choiceValues: [String]
    /// `AAAA-MM` of the months before and after: the values of the ‹ and › buttons.
    let previous: String
    let next: String
    let monthName: String
    let calendars: [Calendar]
    let weekdays: [Option]
    /// Every week listed, for "Toutes les semaines" (comma-separated Mondays).
    let allWeeks: String
    let periods: [Choice]
    let periodWeeks: [Option]
    let periodName: String?

    struct Calendar {
        let title: String
        /// The table's rows, already escaped.
        let grid: String
        /// "Fermé du 21/12/2026 au 02/01/2027 : vacances de Noël.", for the month's closures.
        let closures: [String]
    }

    struct Option {
        let value: String
        let label: String
    }

}

/// One step of the wizard's progress bar (`progress.mustache`).
struct WizardStep {
    let number: Int
    let name: String
    let current: Bool
    let done: Bool
}

extension PlanningPage: TemplateModel {
    static let fields: [String: any PartialKeyPath<PlanningPage> & Sendable] = [
        "layout": \.layout, "steps": \.steps, "query": \.query, "choiceValues": \.choiceValues, "previous": \.previous,
        "next": \.next, "monthName": \.monthName, "calendars": \.calendars, "weekdays": \.weekdays, "allWeeks": \.allWeeks,
        "periods": \.periods,
        "periodWeeks": \.periodWeeks, "periodName": \.periodName,
    ]
}

extension PlanningPage.Calendar: TemplateModel {
    static let fields: [String: any PartialKeyPath<PlanningPage.Calendar> & Sendable] = [
        "title": \.title, "grid": \.grid, "closures": \.closures,
    ]
}

extension PlanningPage.Option: TemplateModel {
    static let fields: [String: any PartialKeyPath<PlanningPage.Option> & Sendable] = ["value": \.value, "label": \.label]
}

extension WizardStep: TemplateModel {
    static let fields: [String: any PartialKeyPath<WizardStep> & Sendable] = [
        "number": \.number, "name": \.name, "current": \.current, "done": \.done,
    ]
}
