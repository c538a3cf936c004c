import MarelleApp
import MarelleCore

extension ChildForm {
    /// `child_form.mustache`: the choices and the pick-up rows, inside the frame both forms
    /// share (values, errors, consents).
    struct Page {
        let layout: LayoutModel
        let frame: FamilyFormFrame
        let girl: Bool
        let boy: Bool
        let levels: [Level]
        let pai: YesNo
        let vaccinations: YesNo
        let photoConsent: YesNo
        let mayLeaveAlone: YesNo
        let pickups: [Pickup]
        /// The latest birth date the date field offers.
        let today: String

        struct Level {
            let value: String
            let selected: Bool
        }

        /// Which of the two radio buttons is ticked.
        struct YesNo {
            let oui: Bool
            let non: Bool
        }

        struct Pickup {
            let row: Int
            let name: String
            let phone: String
            let relationship: String
            let error: String?
        }
    }

    static func page(_ form: FormData, layout: LayoutModel, frame: FamilyFormFrame, today: LocalDate) -> Page {
        func yesNo(_ field: String) -> Page.YesNo { .init(oui: form.text(field) == "oui", non: form.text(field) == "non") }
        return Page(
            layout: layout, frame: frame,
            girl: form.text("sex") == "F", boy: form.text("sex") == "M",
            levels: SchoolLevel.allCases.map { .init(value: $0.rawValue, selected: form.text("level") == $0.rawValue) },
            pai: yesNo("pai"), vaccinations: yesNo("vaccinations"), photoConsent: yesNo("photoConsent"),
            mayLeaveAlone: yesNo("mayLeaveAlone"),
            pickups: (1...pickupRows).map { row in
                .init(
                    row: row, name: form.text("pickup\(row)Name"), phone: form.text("pickup\(row)Phone"),
                    relationship: form.text("pickup\(row)Relationship"), error: frame.errors["pickup\(row)"])
            },
            today: today.iso)
    }
}
