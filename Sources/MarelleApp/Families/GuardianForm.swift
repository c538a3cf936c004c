import MarelleCore

/// The form of a parent's card, both ways: fields to a `GuardianDraft`, and a draft or the
/// submitted fields back to the page model (every value kept, each message by its field).
public enum GuardianForm {
    public static let textFields = [
        "firstName", "lastName", "email", "mobilePhone", "homePhone", "workPhone", "street", "postalCode", "city",
        "employer", "cafNumber", "quotient", "quotientValidFrom", "quotientValidUntil",
    ]

    public static func draft(_ form: FormData) -> (GuardianDraft, [FieldProblem]) {
        var d = GuardianDraft()
        let civility = form.text("civility")
        d.civility = civility.isEmpty ? nil : civility
        d.firstName = form.text("firstName")
        d.lastName = form.text("lastName")
        let email = form.text("email").lowercased()
        d.email = email.isEmpty ? nil : email
        d.mobilePhone = form.text("mobilePhone")
        d.homePhone = form.text("homePhone")
        d.workPhone = form.text("workPhone")
        d.street = form.text("street")
        d.postalCode = form.text("postalCode")
        d.city = form.text("city")
        d.employer = form.text("employer")
        d.cafNumber = form.text("cafNumber").filter { $0 != " " }
        var problems: [FieldProblem] = []
        if !form.text("quotient").isEmpty {
            if let q = Int(form.text("quotient")) {
                d.quotient = q
            } else {
                problems.append(.init(field: "quotient", message: tr("GuardianForm.le_quotient_familial_est_un")))
            }
        }
        for (field, keyPath) in [
            ("quotientValidFrom", \GuardianDraft.quotientValidFrom), ("quotientValidUntil", \GuardianDraft.quotientValidUntil),
        ] {
            switch DateField.parse(form.text(field)) {
            case .empty: break
            case .date(let date): d[keyPath: keyPath] = date
            case .unreadable: problems.append(.init(field: field, message: tr("GuardianForm.cette_date_n_est_pas")))
            }
        }
        return (d.normalized(), problems)
    }

    public static func fields(of d: GuardianDraft) -> FormData {
        FormData(fields: [
            "civility": d.civility ?? "", "firstName": d.firstName, "lastName": d.lastName, "email": d.email ?? "",
            "mobilePhone": d.mobilePhone, "homePhone": d.homePhone, "workPhone": d.workPhone, "street": d.street,
            "postalCode": d.postalCode, "city": d.city, "employer": d.employer, "cafNumber": d.cafNumber,
            "quotient": d.quotient.map(String.init) ?? "", "quotientValidFrom": d.quotientValidFrom?.iso ?? "",
            "quotientValidUntil": d.quotientValidUntil?.iso ?? "",
        ])
    }
}
