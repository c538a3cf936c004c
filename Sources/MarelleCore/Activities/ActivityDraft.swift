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
        if trimmed.isEmpty { problems.append(.init(field: "name", message: "Indiquez le nom de l'activité.")) }
        if trimmed.count > 200 { problems.append(.init(field: "name", message: "Le nom ne peut pas dépasser 200 caractères.")) }
        if endsAt <= startsAt {
            problems.append(.init(field: "endsAt", message: "L'heure de fin doit être après l'heure de début."))
        }
        if capacity <= 0 { problems.append(.init(field: "capacity", message: "La capacité doit être d'au moins une place.")) }
        if capacity > 10_000 {
            problems.append(.init(field: "capacity", message: "La capacité ne peut pas dépasser 10 000 places."))
        }
        if weekdays.isEmpty || !weekdays.allSatisfy({ (1...7).contains($0) }) {
            problems.append(.init(field: "weekdays", message: "Choisissez au moins un jour de la semaine."))
        }
        return problems
    }

    /// The slot, as names show it: `7h30-8h30`.
    public var slot: String { "\(startsAt.french)-\(endsAt.french)" }
}
