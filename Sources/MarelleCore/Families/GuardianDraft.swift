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
            problems.append(.init(field: "civility", message: tr("GuardianDraft.choisissez_mme_ou_m")))
        }
        if let email, !email.isEmpty, EmailAddress(email) == nil {
            problems.append(.init(field: "email", message: tr("common.cette_adresse_e_mail_n")))
        }
        if mobilePhone.isEmpty && homePhone.isEmpty && workPhone.isEmpty {
            problems.append(.init(field: "mobilePhone", message: tr("GuardianDraft.indiquez_au_moins_un_numero")))
        }
        for (field, value) in [("mobilePhone", mobilePhone), ("homePhone", homePhone), ("workPhone", workPhone)]
        where !value.isEmpty && PhoneNumber(value) == nil {
            problems.append(.init(field: field, message: tr("GuardianDraft.ce_numero_n_est_pas")))
        }
        if !postalCode.isEmpty && !(postalCode.count == 5 && postalCode.allSatisfy(\.isASCIIDigit)) {
            problems.append(.init(field: "postalCode", message: tr("GuardianDraft.le_code_postal_a_5")))
        }
        for (field, value, limit) in [("street", street, 200), ("city", city, 100), ("employer", employer, 200)]
        where value.count > limit {
            problems.append(.init(field: field, message: tr("common.ce_champ_est_limite_a", limit)))
        }
        if !cafNumber.isEmpty && !(cafNumber.count <= 10 && cafNumber.allSatisfy(\.isASCIIDigit)) {
            problems.append(
                .init(field: "cafNumber", message: tr("GuardianDraft.le_numero_d_allocataire_caf")))
        }
        if let quotient, !(0...99_999).contains(quotient) {
            problems.append(.init(field: "quotient", message: tr("GuardianDraft.le_quotient_familial_est_un")))
        }
        if let from = quotientValidFrom, let until = quotientValidUntil, from > until {
            problems.append(.init(field: "quotientValidUntil", message: tr("GuardianDraft.la_fin_de_validite_doit")))
        }
        return problems
    }
}

/// Checks shared by the forms of the family file.
enum FieldChecks {
    static func names(first: String, last: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        for (field, value, label) in [
            ("firstName", first, tr("GuardianDraft.le_prenom")), ("lastName", last, tr("GuardianDraft.le_nom")),
        ] {
            if value.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.init(field: field, message: "Indiquez \(label)."))
            } else if value.count > 100 {
                problems.append(.init(field: field, message: tr("GuardianDraft.ce_champ_est_limite_a")))
            } else if value.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
            }) {
                problems.append(.init(field: field, message: tr("GuardianDraft.ce_champ_contient_des_caracteres")))
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
