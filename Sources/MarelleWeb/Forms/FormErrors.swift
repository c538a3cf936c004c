import MarelleCore
import Mustache

/// A form's problems as its template reads them: `{{errors.FIELD}}` (that field's messages,
/// one after the other) and `{{#errors.any}}` (the banner above the form). One value, so no
/// page model carries a separate "has errors" flag that could disagree with it.
struct FormErrors: MustacheParent {
    private let byField: [String: String]

    init(_ problems: [FieldProblem] = []) {
        var byField: [String: String] = [:]
        for problem in problems {
            byField[problem.field] = [byField[problem.field], problem.message].compactMap { $0 }.joined(separator: " ")
        }
        self.byField = byField
    }

    var any: Bool { !byField.isEmpty }

    subscript(field: String) -> String? { byField[field] }

    /// No form has a field named `any`.
    func child(named name: String) -> Any? { name == "any" ? any : byField[name] }
}
