import Foundation

/// An activity as staff describe it, before it is saved. `problems` lists every mistake at
/// once, each with the field it belongs to, so that a form can show them all.
public struct ActivityDraft: Sendable, Hashable {
    public enum ValidationMode: String, Sendable, Hashable, CaseIterable, Codable {
        /// Staff validate each request.
        case manual
        /// Requests within capacity are validated at once.
        case automatic
    }

    public var name: String
    public var startsAt: LocalTime
    public var endsAt: LocalTime
    public var eligibility: Eligibility
    public var capacity: Int
    public var weekdays: Set<Int>
    public var validationMode: ValidationMode
    public var bookingDeadline: DeadlineRule
    public var cancellationDeadline: DeadlineRule

    public init(
        name: String, startsAt: LocalTime, endsAt: LocalTime, eligibility: Eligibility = .everyone, capacity: Int,
        weekdays: Set<Int>, validationMode: ValidationMode, bookingDeadline: DeadlineRule, cancellationDeadline: DeadlineRule
    ) {
        self.name = name
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.eligibility = eligibility
        self.capacity = capacity
        self.weekdays = weekdays
        self.validationMode = validationMode
        self.bookingDeadline = bookingDeadline
        self.cancellationDeadline = cancellationDeadline
    }

    public typealias Problem = FieldProblem

    public var problems: [Problem] {
        var problems: [Problem] = []
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { problems.append(.init(field: "name", message: tr("ActivityDraft.indiquez_le_nom_de_l"))) }
        if trimmed.count > 200 { problems.append(.init(field: "name", message: tr("ActivityDraft.le_nom_ne_peut_pas"))) }
        if endsAt <= startsAt {
            problems.append(.init(field: "endsAt", message: tr("ActivityDraft.l_heure_de_fin_doit")))
        }
        if capacity <= 0 { problems.append(.init(field: "capacity", message: tr("ActivityDraft.la_capacite_doit_etre_d"))) }
        if capacity > 10_000 {
            problems.append(.init(field: "capacity", message: tr("ActivityDraft.la_capacite_ne_peut_pas")))
        }
        if weekdays.isEmpty || !weekdays.allSatisfy({ (1...7).contains($0) }) {
            problems.append(.init(field: "weekdays", message: tr("ActivityDraft.choisissez_au_moins_un_jour")))
        }
        return problems
    }

    /// The slot, as names show it: `7h30-8h30`.
    public var slot: String { "\(startsAt.french)-\(endsAt.french)" }
}
