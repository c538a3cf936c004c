import Foundation
import MarelleCore
import MarelleStore

/// An activity as a client or a form sends it: loose text, converted here into Core types
/// with every problem listed by field. The API and the staff page both go through it, so
/// they accept and refuse exactly the same things with the same words.
public struct ActivityInput: Decodable, Sendable {
    public struct Deadline: Decodable, Sendable {
        public var daysBefore: Int?
        public var time: String?
        public var workingDaysOnly: Bool?

        public init(daysBefore: Int? = nil, time: String? = nil, workingDaysOnly: Bool? = nil) {
            (self.daysBefore, self.time, self.workingDaysOnly) = (daysBefore, time, workingDaysOnly)
        }
    }

    public struct Price: Decodable, Sendable {
        public struct Bracket: Decodable, Sendable {
            public var upTo: Int?
            public var cents: Int?

            public init(upTo: Int? = nil, cents: Int? = nil) {
                (self.upTo, self.cents) = (upTo, cents)
            }
        }
        public var flatCents: Int?
        public var brackets: [Bracket]?

        public init(flatCents: Int? = nil, brackets: [Bracket]? = nil) {
            (self.flatCents, self.brackets) = (flatCents, brackets)
        }
    }

    public var name: String?
    public var startsAt: String?
    public var endsAt: String?
    public var levels: [String]?
    public var minimumAge: Int?
    public var maximumAge: Int?
    public var capacity: Int?
    public var weekdays: [Int]?
    public var validationMode: String?
    public var bookingDeadline: Deadline?
    public var cancellationDeadline: Deadline?
    public var periodIds: [Int]?
    public var price: Price?

    public init() {}

    public struct Converted: Sendable {
        public let draft: ActivityDraft
        public let periodIDs: [Int]
        /// Nil only when editing without a new price.
        public let price: PriceRule?
    }

    /// The Core values, or every problem found. When editing, the price may be left out
    /// (the one in force stays).
    public func convert(priceRequired: Bool = true) -> Result<Converted, ActivityInputProblems> {
        var problems: [ActivityDraft.Problem] = []
        func problem(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }
        let starts = startsAt.flatMap { LocalTime($0) }
        if starts == nil { problem("startsAt", tr("ActivityInput.indiquez_l_heure_de_debut")) }
        let ends = endsAt.flatMap { LocalTime($0) }
        if ends == nil { problem("endsAt", tr("ActivityInput.indiquez_l_heure_de_fin")) }
        var levelSet: Set<SchoolLevel> = []
        for raw in levels ?? [] {
            if let level = SchoolLevel(rawValue: raw) {
                levelSet.insert(level)
            } else {
                problem("levels", "Niveau inconnu : « \(raw) ».")
            }
        }
        var eligibility = Eligibility.everyone
        do { eligibility = try Eligibility(levels: levelSet, minimumAge: minimumAge, maximumAge: maximumAge) } catch {
            problem("minimumAge", error.message)
        }
        let mode = ActivityDraft.ValidationMode(rawValue: validationMode ?? "")
        if mode == nil { problem("validationMode", tr("ActivityInput.choisissez_une_validation_manuelle_ou")) }
        let booking = Self.deadline(bookingDeadline, field: "bookingDeadline", problem)
        let cancellation = Self.deadline(cancellationDeadline, field: "cancellationDeadline", problem)
        if (periodIds ?? []).isEmpty { problem("periodIds", tr("ActivityInput.choisissez_au_moins_une_periode")) }
        var rule: PriceRule?
        if let flat = price?.flatCents, price?.brackets == nil {
            do { rule = try PriceRule.checkedFlat(Money(cents: flat)) } catch { problem("price", error.message) }
        } else if let brackets = price?.brackets, price?.flatCents == nil {
            do {
                rule = try PriceRule.brackets(brackets.map { .init(upTo: $0.upTo, price: Money(cents: $0.cents ?? -1)) })
            } catch { problem("price", error.message) }
        } else if priceRequired || price != nil {
            problem("price", tr("ActivityInput.indiquez_un_tarif_unique_ou"))
        }
        guard let starts, let ends, let mode, let booking, let cancellation, rule != nil || !priceRequired else {
            return .failure(ActivityInputProblems(problems: problems))
        }
        let draft = ActivityDraft(
            name: name ?? "", startsAt: starts, endsAt: ends, eligibility: eligibility, capacity: capacity ?? 0,
            weekdays: Set(weekdays ?? []), validationMode: mode, bookingDeadline: booking, cancellationDeadline: cancellation)
        problems += draft.problems
        guard problems.isEmpty else { return .failure(ActivityInputProblems(problems: problems)) }
        return .success(Converted(draft: draft, periodIDs: periodIds ?? [], price: rule))
    }

    private static func deadline(_ d: Deadline?, field: String, _ problem: (String, String) -> Void) -> DeadlineRule? {
        guard let days = d?.daysBefore, let time = d?.time.flatMap({ LocalTime($0) }) else {
            problem(field, tr("ActivityInput.indiquez_le_delai_un_nombre"))
            return nil
        }
        do { return try DeadlineRule(daysBefore: days, time: time, workingDaysOnly: d?.workingDaysOnly ?? false) } catch {
            problem(field, error.message)
            return nil
        }
    }
}

public struct ActivityInputProblems: Error, Sendable {
    public let problems: [ActivityDraft.Problem]

    public init(problems: [ActivityDraft.Problem]) {
        self.problems = problems
    }
}

/// A period as a client or a form sends it.
public struct PeriodInput: Decodable, Sendable {
    public var name: String?
    public var kind: String?
    public var firstDay: String?
    public var lastDay: String?
    public var bookingOpensAt: Date?
    public var bookingClosesAt: Date?
}

extension PeriodInput {
    public struct Converted: Sendable {
        public let name: String
        public let kind: PeriodStore.Kind
        public let days: DateRange
        public let opensAt: Date
        public let closesAt: Date
    }

    /// The period's values, or every problem found (the store adds the overlap check).
    public func convert() -> Result<Converted, ActivityInputProblems> {
        var problems: [ActivityDraft.Problem] = []
        let kind = PeriodStore.Kind(rawValue: self.kind ?? "")
        if kind == nil {
            problems.append(.init(field: "kind", message: tr("ActivityInput.le_type_de_periode_est")))
        }
        let first = firstDay.flatMap { LocalDate(iso: $0) }
        let last = lastDay.flatMap { LocalDate(iso: $0) }
        if first == nil { problems.append(.init(field: "firstDay", message: tr("ActivityInput.indiquez_la_date_de_debut"))) }
        if last == nil { problems.append(.init(field: "lastDay", message: tr("ActivityInput.indiquez_la_date_de_fin"))) }
        if bookingOpensAt == nil || bookingClosesAt == nil {
            problems.append(.init(field: "bookingOpensAt", message: tr("ActivityInput.indiquez_l_ouverture_et_la")))
        }
        guard problems.isEmpty, let kind, let first, let last, let opens = bookingOpensAt, let closes = bookingClosesAt else {
            return .failure(ActivityInputProblems(problems: problems))
        }
        guard let days = try? DateRange(first: first, last: last) else {
            return .failure(
                ActivityInputProblems(problems: [.init(field: "lastDay", message: DateRangeError.endBeforeStart.message)]))
        }
        return .success(Converted(name: name ?? "", kind: kind, days: days, opensAt: opens, closesAt: closes))
    }
}
