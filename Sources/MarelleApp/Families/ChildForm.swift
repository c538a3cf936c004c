import MarelleCore

/// The form of a child's card, both ways, with four rows of people allowed to pick the
/// child up (empty rows are ignored).
public enum ChildForm {
    public static let pickupRows = 4
    public static let textFields = [
        "firstName", "lastName", "birthDate", "school", "allergies", "diet", "doctor", "vaccinationNotes",
    ]

    public static func draft(_ form: FormData) -> ChildDraft {
        var d = ChildDraft()
        d.firstName = form.text("firstName")
        d.lastName = form.text("lastName")
        switch DateField.parse(form.text("birthDate")) {
        case .empty: d.birthDate = nil
        case .date(let date): d.birthDate = date
        case .unreadable: d.unreadableBirthDate = true
        }
        let sex = form.text("sex")
        d.sex = sex.isEmpty ? nil : sex
        d.school = form.text("school")
        d.level = SchoolLevel(rawValue: form.text("level"))
        d.allergies = form.text("allergies")
        d.diet = form.text("diet")
        d.hasPAI = form.text("pai") == "oui"
        d.doctor = form.text("doctor")
        d.vaccinationsUpToDate = ["oui": true, "non": false][form.text("vaccinations")]
        d.vaccinationNotes = form.text("vaccinationNotes")
        d.photoConsent = form.text("photoConsent") == "oui"
        d.mayLeaveAlone = form.text("mayLeaveAlone") == "oui"
        // The page shows four rows; the API may send up to the limit and one more, to be told.
        for row in 1...8 {
            let name = form.text("pickup\(row)Name"), phone = form.text("pickup\(row)Phone"),
                relation = form.text("pickup\(row)Relationship")
            if !(name.isEmpty && phone.isEmpty && relation.isEmpty) {
                d.pickups.append(.init(name: name, phone: phone, relationship: relation))
            }
        }
        return d.normalized()
    }

    public static func fields(of d: ChildDraft) -> FormData {
        var fields: [String: String] = [
            "firstName": d.firstName, "lastName": d.lastName, "birthDate": d.birthDate?.iso ?? "", "sex": d.sex ?? "",
            "school": d.school, "level": d.level?.rawValue ?? "", "allergies": d.allergies, "diet": d.diet,
            "pai": d.hasPAI ? "oui" : "non",
            "doctor": d.doctor, "vaccinations": d.vaccinationsUpToDate.map { $0 ? "oui" : "non" } ?? "",
            "vaccinationNotes": d.vaccinationNotes,
            "photoConsent": d.photoConsent ? "oui" : "non", "mayLeaveAlone": d.mayLeaveAlone ? "oui" : "non",
        ]
        for (index, p) in d.pickups.prefix(pickupRows).enumerated() {
            fields["pickup\(index + 1)Name"] = p.name
            fields["pickup\(index + 1)Phone"] = p.phone
            fields["pickup\(index + 1)Relationship"] = p.relationship
        }
        return FormData(fields: fields)
    }
}
