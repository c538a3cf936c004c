import Foundation

/// What a parent (responsable légal) writes in their file, checked before it is stored. The
/// quotient familial is the association's to set (from the CAF certificate), so it is checked
/// here but only staff forms send it.
public struct GuardianDraft: Sendable, Hashable {
    public var civility: String?
    public var firstName = ""
    public var lastName = ""
    public var email: String?
    public var mobilePhone = ""
    public var homePhone = ""
    public var workPhone = ""
    public var street = ""
    public var postalCode = ""
    public var city = ""
    public var employer = ""
    public var cafNumber = ""
    public var quotient: Int?
    public var quotientValidFrom: LocalDate?
    public var quotientValidUntil: LocalDate?

    public init() {}

    public var problems: [FieldProblem] {
        var problems = FieldChecks.names(first: firstName, last: lastName)
        if let civility, !["Mme", "M."].contains(civility) {
            problems.append(.init(field: "civility", message: "Choisissez Mme ou M."))
        }
        if let email, !email.isEmpty, EmailAddress(email) == nil {
            problems.append(.init(field: "email", message: "Cette adresse e-mail n'est pas valide."))
        }
        if mobilePhone.isEmpty && homePhone.isEmpty && workPhone.isEmpty {
            problems.append(.init(field: "mobilePhone", message: "Indiquez au moins un numéro de téléphone."))
        }
        for (field, value) in [("mobilePhone", mobilePhone), ("homePhone", homePhone), ("workPhone", workPhone)]
        where !value.isEmpty && PhoneNumber(value) == nil {
            problems.append(.init(field: field, message: "Ce numéro n'est pas valide : 10 chiffres, par exemple 06 12 34 56 78."))
        }
        if !postalCode.isEmpty && !(postalCode.count == 5 && postalCode.allSatisfy(\.isASCIIDigit)) {
            problems.append(.init(field: "postalCode", message: "Le code postal a 5 chiffres."))
        }
        for (field, value, limit) in [("street", street, 200), ("city", city, 100), ("employer", employer, 200)]
        where value.count > limit {
            problems.append(.init(field: field, message: "Ce champ est limité à \(limit) caractères."))
        }
        if !cafNumber.isEmpty && !(cafNumber.count <= 10 && cafNumber.allSatisfy(\.isASCIIDigit)) {
            problems.append(
                .init(field: "cafNumber", message: "Le numéro d'allocataire CAF ne contient que des chiffres (10 au plus)."))
        }
        if let quotient, !(0...99_999).contains(quotient) {
            problems.append(.init(field: "quotient", message: "Le quotient familial est un nombre entier entre 0 et 99999."))
        }
        if let from = quotientValidFrom, let until = quotientValidUntil, from > until {
            problems.append(.init(field: "quotientValidUntil", message: "La fin de validité doit suivre le début."))
        }
        return problems
    }
}

/// Checks shared by the forms of the family file.
enum FieldChecks {
    static func names(first: String, last: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        for (field, value, label) in [("firstName", first, "le prénom"), ("lastName", last, "le nom")] {
            if value.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.init(field: field, message: "Indiquez \(label)."))
            } else if value.count > 100 {
                problems.append(.init(field: field, message: "Ce champ est limité à 100 caractères."))
            } else if value.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
            }) {
                problems.append(.init(field: field, message: "Ce champ contient des caractères invisibles."))
            }
        }
        return problems
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension GuardianDraft {
    /// Names trimmed, the e-mail lower-case, valid phone numbers in one spelling.
    public func normalized() -> GuardianDraft {
        var d = self
        d.firstName = firstName.trimmingCharacters(in: .whitespaces)
        d.lastName = lastName.trimmingCharacters(in: .whitespaces)
        d.email = email.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        d.mobilePhone = PhoneNumber(mobilePhone)?.description ?? mobilePhone
        d.homePhone = PhoneNumber(homePhone)?.description ?? homePhone
        d.workPhone = PhoneNumber(workPhone)?.description ?? workPhone
        return d
    }
}
