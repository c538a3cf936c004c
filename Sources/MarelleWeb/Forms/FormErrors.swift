import MarelleCore

/// Messages grouped by field, for the `errors.FIELD` lookups of the templates.
enum FormErrors {
    static func byField(_ problems: [FieldProblem]) -> [String: String] {
        var errors: [String: String] = [:]
        for problem in problems { errors[problem.field] = [errors[problem.field], problem.message].compactMap { $0 }.joined(separator: " ") }
        return errors
    }
}
