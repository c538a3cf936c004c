import Foundation

/// What a child's file holds, checked before it is stored: identity, school, health,
/// authorizations and the people allowed to pick the child up.
public struct ChildDraft: Sendable, Hashable {
    public var firstName = ""
    public var lastName = ""
    public var birthDate: LocalDate?
    /// The birth date as typed, when it did not read as a date (for the message).
    public var unreadableBirthDate = false
    public var sex: String?
    public var school = ""
    public var level: SchoolLevel?
    public var allergies = ""
    public var diet = ""
    public var hasPAI = false
    public var doctor = ""
    public var vaccinationsUpToDate: Bool?
    public var vaccinationNotes = ""
    public var photoConsent = false
    public var mayLeaveAlone = false
    public var pickups: [Pickup] = []

    public struct Pickup: Sendable, Hashable, Codable {
        public var name: String
        public var phone: String
        public var relationship: String

        public init(name: String, phone: String, relationship: String) {
            self.name = name
            self.phone = phone
            self.relationship = relationship
        }
    }

    public init() {}

    /// The health fields, as logged in the audit log when they change.
    public var health: [String: String] {
        [
            "allergies": allergies, "diet": diet, "pai": hasPAI ? "oui" : "non", "doctor": doctor,
            "vaccinations": vaccinationsUpToDate.map { $0 ? tr("ChildDraft.a_jour") : tr("ChildDraft.pas_a_jour") }
                ?? tr("common.non_renseigne"),
            "vaccinationNotes": vaccinationNotes,
        ]
    }

    /// The problems of this file on `today` (the association's date, Europe/Paris).
    public func problems(today: LocalDate) -> [FieldProblem] {
        var problems = FieldChecks.names(first: firstName, last: lastName)
        if unreadableBirthDate {
            problems.append(
                .init(
                    field: "birthDate", message: tr("ChildDraft.cette_date_n_est_pas")))
        } else if let birthDate {
            if birthDate > today {
                problems.append(.init(field: "birthDate", message: tr("ChildDraft.la_date_de_naissance_ne")))
            } else if birthDate < today.adding(days: -366 * 21) {
                problems.append(
                    .init(field: "birthDate", message: tr("ChildDraft.cette_date_de_naissance_est")))
            }
        } else {
            problems.append(.init(field: "birthDate", message: tr("ChildDraft.indiquez_la_date_de_naissance")))
        }
        if let sex, !["F", "M"].contains(sex) {
            problems.append(.init(field: "sex", message: tr("ChildDraft.choisissez_fille_ou_garcon")))
        }
        for (field, value, limit) in [
            ("school", school, 200), ("allergies", allergies, 2000), ("diet", diet, 500), ("doctor", doctor, 300),
            ("vaccinationNotes", vaccinationNotes, 1000),
        ] where value.count > limit {
            problems.append(.init(field: field, message: tr("common.ce_champ_est_limite_a", limit)))
        }
        if pickups.count > 6 {
            problems.append(.init(field: "pickups", message: tr("ChildDraft.six_personnes_au_plus_peuvent")))
        }
        for (index, pickup) in pickups.enumerated() {
            let field = "pickup\(index + 1)"
            if pickup.name.trimmingCharacters(in: .whitespaces).isEmpty || pickup.name.count > 200 {
                problems.append(.init(field: field, message: tr("ChildDraft.indiquez_le_nom_et_le")))
            }
            if PhoneNumber(pickup.phone) == nil {
                problems.append(.init(field: field, message: tr("ChildDraft.indiquez_un_numero_de_telephone")))
            }
        }
        return problems
    }
}

extension ChildDraft {
    /// Names trimmed and valid phone numbers in one spelling.
    public func normalized() -> ChildDraft {
        var d = self
        d.firstName = firstName.trimmingCharacters(in: .whitespaces)
        d.lastName = lastName.trimmingCharacters(in: .whitespaces)
        d.pickups = pickups.map {
            .init(
                name: $0.name.trimmingCharacters(in: .whitespaces), phone: PhoneNumber($0.phone)?.description ?? $0.phone,
                relationship: $0.relationship.trimmingCharacters(in: .whitespaces))
        }
        return d
    }
}
