import Foundation
import MarelleApp
import MarelleCore
import MarelleStore

/// The staff form of an activity: its fields to `ActivityInput` (the API's rules), and back
/// to a page model that keeps every value and puts each message next to its field.
struct ActivityForm {
    let form: FormData

    /// Converts the form: the API's rules, plus what only a form can get wrong (an amount
    /// that does not read as euros).
    func convert(priceRequired: Bool = true) -> Result<ActivityInput.Converted, ActivityInputProblems> {
        let unreadable = ["priceFlat", "qf1Price", "qf2Price", "qf3Price", "qfTopPrice"].contains {
            !form.text($0).isEmpty && Money(parsing: form.text($0)) == nil
        }
        let amountProblem = ActivityDraft.Problem(field: "price", message: tr("ActivityForm.un_tarif_est_illisible_ecrivez"))
        switch input().convert(priceRequired: priceRequired) {
        case .success(let converted):
            return unreadable ? .failure(ActivityInputProblems(problems: [amountProblem])) : .success(converted)
        case .failure(let failure):
            let others = unreadable ? failure.problems.filter { $0.field != "price" } : failure.problems
            return .failure(ActivityInputProblems(problems: others + (unreadable ? [amountProblem] : [])))
        }
    }

    func input() -> ActivityInput {
        var input = ActivityInput()
        input.name = form.text("name")
        input.startsAt = form.text("startsAt")
        input.endsAt = form.text("endsAt")
        input.levels = form.all("levels")
        input.minimumAge = Int(form.text("minimumAge"))
        input.maximumAge = Int(form.text("maximumAge"))
        input.capacity = Int(form.text("capacity")) ?? (form.text("capacity").isEmpty ? 0 : -1)
        input.weekdays = form.all("weekdays").compactMap { Int($0) }
        input.validationMode = form.text("validationMode")
        input.bookingDeadline = .init(
            daysBefore: Int(form.text("bookingDays")), time: form.text("bookingTime"),
            workingDaysOnly: form.isChecked("bookingWorking"))
        input.cancellationDeadline = .init(
            daysBefore: Int(form.text("cancelDays")), time: form.text("cancelTime"),
            workingDaysOnly: form.isChecked("cancelWorking"))
        input.periodIds = form.all("periods").compactMap { Int($0) }
        if !form.text("priceFlat").isEmpty {
            input.price = .init(flatCents: Money(parsing: form.text("priceFlat"))?.cents ?? -1, brackets: nil)
        } else {
            var brackets: [ActivityInput.Price.Bracket] = []
            for row in 1...3 where !form.text("qf\(row)UpTo").isEmpty || !form.text("qf\(row)Price").isEmpty {
                brackets.append(
                    .init(
                        upTo: Int(form.text("qf\(row)UpTo")) ?? -1, cents: Money(parsing: form.text("qf\(row)Price"))?.cents ?? -1
                    ))
            }
            if !form.text("qfTopPrice").isEmpty {
                brackets.append(.init(upTo: nil, cents: Money(parsing: form.text("qfTopPrice"))?.cents ?? -1))
            }
            input.price = brackets.isEmpty ? nil : .init(flatCents: nil, brackets: brackets)
        }
        return input
    }

    /// `staff_activity_form.mustache`: values as typed, choices with their checked state,
    /// errors by field.
    struct Page {
        let layout: LayoutModel
        let action: String
        let editing: Bool
        let notice: String?
        let values: [String: String]
        let errors: FormErrors
        let levels: [Choice]
        let weekdays: [Choice]
        let periods: [Choice]
        let manual: Bool
        let automatic: Bool
        let bookingWorking: Bool
        let cancelWorking: Bool

        struct Choice {
            let value: String
            let label: String
            let checked: Bool
        }
    }

    static func page(
        form: FormData?, periods: [PeriodStore.Period], problems: [ActivityDraft.Problem], layout: LayoutModel, action: String,
        editing: Bool, notice: String?
    ) -> Page {
        let f =
            form
            ?? FormData(fields: [
                "startsAt": "07:30", "endsAt": "08:30", "validationMode": "manual", "bookingDays": "1", "bookingTime": "10:00",
                "cancelDays": "1", "cancelTime": "10:00", "capacity": "20",
            ])
        var values: [String: String] = [:]
        for key in [
            "name", "startsAt", "endsAt", "minimumAge", "maximumAge", "capacity", "bookingDays", "bookingTime", "cancelDays",
            "cancelTime", "priceFlat", "qf1UpTo", "qf1Price", "qf2UpTo", "qf2Price", "qf3UpTo", "qf3Price", "qfTopPrice",
        ] {
            values[key] = f.text(key)
        }
        let levels = Set(f.all("levels"))
        let weekdays = Set(f.all("weekdays"))
        let chosenPeriods = Set(f.all("periods"))
        let dayNames = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
        return Page(
            layout: layout, action: action, editing: editing, notice: notice,
            values: values, errors: FormErrors(problems),
            levels: SchoolLevel.allCases.map {
                .init(value: $0.rawValue, label: $0.rawValue, checked: levels.contains($0.rawValue))
            },
            weekdays: (1...7).map { .init(value: String($0), label: dayNames[$0 - 1], checked: weekdays.contains(String($0))) },
            periods: periods.map { .init(value: String($0.id), label: $0.name, checked: chosenPeriods.contains(String($0.id))) },
            manual: f.text("validationMode") != "automatic", automatic: f.text("validationMode") == "automatic",
            bookingWorking: f.isChecked("bookingWorking"), cancelWorking: f.isChecked("cancelWorking"))
    }

    /// The form filled with an existing activity, for its edit page. The price is left
    /// empty: typing one starts a new price, leaving it keeps the current one.
    static func filled(with activity: ActivityStore.Activity) -> FormData {
        let d = activity.draft
        var fields: [String: String] = [
            "name": d.name, "startsAt": d.startsAt.description, "endsAt": d.endsAt.description, "capacity": String(d.capacity),
            "validationMode": d.validationMode.rawValue, "bookingDays": String(d.bookingDeadline.daysBefore),
            "bookingTime": d.bookingDeadline.time.description, "cancelDays": String(d.cancellationDeadline.daysBefore),
            "cancelTime": d.cancellationDeadline.time.description,
        ]
        if let a = d.eligibility.minimumAge { fields["minimumAge"] = String(a) }
        if let a = d.eligibility.maximumAge { fields["maximumAge"] = String(a) }
        if d.bookingDeadline.workingDaysOnly { fields["bookingWorking"] = "on" }
        if d.cancellationDeadline.workingDaysOnly { fields["cancelWorking"] = "on" }
        var encoded = fields.map { "\($0.key)=\(Self.escape($0.value))" }
        encoded += d.eligibility.levels.map { "levels=\(Self.escape($0.rawValue))" }
        encoded += d.weekdays.map { "weekdays=\($0)" }
        encoded += activity.periodIDs.map { "periods=\($0)" }
        return FormData(encoded: encoded.joined(separator: "&"))
    }

    private static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
