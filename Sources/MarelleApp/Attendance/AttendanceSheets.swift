import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Présences: the list of an activity's day for the team (printed the day before, ticked on a
/// tablet on the day), the ticks themselves, and the child who came without a booking.
public struct AttendanceSheets: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One child on the list, with the people to call and the people allowed to take them.
    public struct Child: Sendable {
        public let entry: AttendanceStore.Entry
        public let pickups: [AttendanceStore.Pickup]
        public let guardians: [AttendanceStore.Guardian]
    }

    /// An activity's day: who is expected, who was declared absent (apart), whether it runs.
    public struct Day: Sendable {
        public let activity: ActivityStore.Activity
        public let day: LocalDate
        /// False on a closure, a public holiday or a day the activity does not run: nobody
        /// is expected, whatever was booked before the closure.
        public let runs: Bool
        public let expected: [Child]
        public let absent: [Child]
    }

    /// A time as the tablet sends it: the wall time on the booking's day in Paris, or an instant.
    public enum Time: Sendable, Equatable {
        case wall(LocalTime)
        case instant(Date)

        /// `18:05` (Paris, on the booking's day) or an ISO 8601 instant; nil for anything else.
        public init?(_ text: String) {
            if let wall = LocalTime(text) {
                self = .wall(wall)
            } else if let instant = ISO8601DateFormatter().date(from: text) {
                self = .instant(instant)
            } else {
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                guard let instant = formatter.date(from: text) else { return nil }
                self = .instant(instant)
            }
        }

        func on(_ day: LocalDate) -> Date {
            switch self {
            case .wall(let time): ParisClock.instant(day, time)
            case .instant(let date): date
            }
        }
    }

    /// What a field of a tick becomes: left as it is, emptied, or given a value.
    public enum Change<Value: Sendable & Equatable>: Sendable, Equatable {
        case keep
        case clear
        case set(Value)

        func applied(to current: Value?) -> Value? {
            switch self {
            case .keep: current
            case .clear: nil
            case .set(let value): value
            }
        }
    }

    public struct TickChange: Sendable, Equatable {
        public var arrivedAt: Change<Time>
        public var leftAt: Change<Time>
        public var pickedUpBy: Change<String>
        public var noShow: Bool?

        public init(
            arrivedAt: Change<Time> = .keep, leftAt: Change<Time> = .keep, pickedUpBy: Change<String> = .keep,
            noShow: Bool? = nil
        ) {
            (self.arrivedAt, self.leftAt, self.pickedUpBy, self.noShow) = (arrivedAt, leftAt, pickedUpBy, noShow)
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        /// No such booking (or activity, or child) in this association.
        case notFound
        /// The booking is not one the day's list holds (waiting, refused, cancelled).
        case notExpected
        case invalid([FieldProblem])
    }

    /// The activities a list can be asked for, by start time.
    public func activities(tenant: Tenant) async throws -> [ActivityStore.Activity] {
        try await database.withTenant(try tenant.scope()) { tx in
            try ActivityStore().list(tx)
        }
    }

    /// A day's lists: of one activity when `activityID` is given (none when it is not the
    /// association's), else of every activity that runs that day or has bookings on it; with
    /// the association's children when asked, for the "unexpected child" form.
    public func overview(tenant: Tenant, day: LocalDate, activityID: Int?, roster: Bool) async throws -> Overview {
        try await database.withTenant(try tenant.scope()) { tx in
            let activities = try ActivityStore().list(tx)
            let chosen = activities.filter { activityID == nil || $0.id == activityID }
            let sheets = try chosen.compactMap { try Self.read(tx, activityID: $0.id, day: day) }
                .filter { activityID != nil || $0.runs || !$0.expected.isEmpty }
            return Overview(
                activities: activities, sheets: sheets, roster: roster ? try AttendanceStore().roster(tx) : [])
        }
    }

    public struct Overview: Sendable {
        public let activities: [ActivityStore.Activity]
        public let sheets: [Day]
        public let roster: [AttendanceStore.RosterChild]
    }

    /// The list of `activityID` on `day`; nil when the association has no such activity.
    public func day(tenant: Tenant, activityID: Int, day: LocalDate) async throws -> Day? {
        try await database.withTenant(try tenant.scope()) { tx in try Self.read(tx, activityID: activityID, day: day) }
    }

    static func read(_ tx: Session, activityID: Int, day: LocalDate) throws -> Day? {
        let store = AttendanceStore()
        guard let activity = try ActivityStore().find(tx, id: activityID) else { return nil }
        let runs = try runs(tx, activity, on: day)
        let booked = try store.booked(tx, activityID: activityID, day: day)
        let pickups = Dictionary(grouping: try store.pickups(tx, childIDs: booked.map(\.childID)), by: \.childID)
        let guardians = Dictionary(
            grouping: try store.guardians(tx, familyIDs: Array(Set(booked.compactMap(\.familyID)))), by: \.familyID)
        let children = booked.map {
            Child(entry: $0, pickups: pickups[$0.childID] ?? [], guardians: $0.familyID.flatMap { guardians[$0] } ?? [])
        }
        // A child the family said would not come is shown apart, unless they came after all.
        let absent = children.filter { $0.entry.absenceReason != nil && $0.entry.tick.arrivedAt == nil }
        let expected = children.filter { !($0.entry.absenceReason != nil && $0.entry.tick.arrivedAt == nil) }
        return Day(
            activity: activity, day: day, runs: runs, expected: runs ? expected : [], absent: runs ? absent : [])
    }

    /// Whether the activity runs that day, by the calendar's own rules (weekdays, closures,
    /// public holidays, dates added or removed).
    static func runs(_ tx: Session, _ activity: ActivityStore.Activity, on day: LocalDate) throws -> Bool {
        guard let rules = try CalendarStore().rules(tx, activities: [activity], year: day.year, month: day.month) else {
            return false
        }
        return rules.of(activity).0.schedule.runs(on: day)
    }

    /// Records a tick on a booking of the day's list; the same tick sent twice (two tablets)
    /// leaves one record. Audited.
    public func tick(
        tenant: Tenant, staff: Account, bookingID: Int, change: TickChange, now: Date = Date(), ip: String?
    ) async throws -> AttendanceStore.Entry {
        return try await database.withTenant(try tenant.scope()) { tx in
            let store = AttendanceStore()
            guard let entry = try store.entry(tx, bookingID: bookingID) else { throw Failure.notFound }
            guard entry.status == .validated || entry.status == .cancelRequested else { throw Failure.notExpected }
            let tick: AttendanceStore.Tick
            switch Self.merge(change, into: entry, now: now) {
            case .failure(let failure): throw failure
            case .success(let merged): tick = merged
            }
            try store.save(tx, bookingID: bookingID, tick, by: staff.id)
            try AuditLog().record(
                tx, actor: .account(staff), action: "attendance.tick", subject: "child:\(entry.childID)", ip: ip,
                detail: Self.detail(bookingID: bookingID, tick))
            return try store.entry(tx, bookingID: bookingID) ?? entry
        }
    }

    /// A child who came without a booking: a validated booking on the spot (or their
    /// request or waiting line validated), ticked arrived, marked unexpected. Audited.
    public func admit(
        tenant: Tenant, staff: Account, childID: Int, activityID: Int, day: LocalDate, arrivedAt: Time?,
        now: Date = Date(), ip: String?
    ) async throws -> AttendanceStore.Entry {
        return try await database.withTenant(try tenant.scope()) { tx in
            let store = AttendanceStore()
            guard let activity = try ActivityStore().find(tx, id: activityID),
                let child = try ChildStore().find(tx, id: childID, for: staff)
            else { throw Failure.notFound }
            guard try Self.runs(tx, activity, on: day) else {
                throw Failure.invalid([FieldProblem(field: "day", message: tr("AttendanceSheets.l_activite_n_a_pas"))])
            }
            let rules = try CalendarStore().rules(tx, activities: [activity], year: day.year, month: day.month)
            let quotient = try ChildStore().quotient(tx, familyID: child.familyID)
            let price = rules.map { $0.of(activity).1.price(quotient: quotient).cents } ?? 0
            let bookingID = try store.admit(
                tx, childID: childID, familyID: child.familyID, activityID: activityID, day: day, priceCents: price,
                by: staff.id)
            guard var tick = try store.entry(tx, bookingID: bookingID)?.tick else { throw Failure.notFound }
            // Sent again for a child already ticked in, it keeps the first arrival.
            if arrivedAt != nil || tick.arrivedAt == nil {
                let arrival = (arrivedAt ?? .instant(now)).on(day)
                if let problem = Self.timeProblem(arrival, day: day, now: now, field: "arrivedAt") {
                    throw Failure.invalid([problem])
                }
                tick.arrivedAt = arrival
            }
            tick.noShow = false
            tick.unexpected = true
            try store.save(tx, bookingID: bookingID, tick, by: staff.id)
            try AuditLog().record(
                tx, actor: .account(staff), action: "attendance.admit", subject: "child:\(childID)", ip: ip,
                detail: Self.detail(bookingID: bookingID, tick))
            guard let entry = try store.entry(tx, bookingID: bookingID) else { throw Failure.notFound }
            return entry
        }
    }

    /// The tick after `change`, or why it cannot be: times on the booking's day and not
    /// ahead of now, a departure after an arrival, a no-show without times, and a child who
    /// may not leave alone leaves with someone named.
    static func merge(_ change: TickChange, into entry: AttendanceStore.Entry, now: Date) -> Result<AttendanceStore.Tick, Failure>
    {
        var tick = entry.tick
        tick.arrivedAt = change.arrivedAt.map { $0.on(entry.day) }.applied(to: tick.arrivedAt)
        tick.leftAt = change.leftAt.map { $0.on(entry.day) }.applied(to: tick.leftAt)
        var problems: [FieldProblem] = []
        switch change.pickedUpBy {
        case .keep: break
        case .clear: tick.pickedUpBy = nil
        case .set(let name):
            let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = ControlCharacters.problem(field: "pickedUpBy", value: name) {
                problems.append(problem)
            } else if name.count > 200 {
                problems.append(FieldProblem(field: "pickedUpBy", message: tr("AttendanceSheets.200_caracteres_au_plus")))
            }
            tick.pickedUpBy = name.isEmpty ? nil : name
        }
        if let noShow = change.noShow {
            tick.noShow = noShow
        } else if case .set = change.arrivedAt {
            tick.noShow = false
        }
        if change.noShow == true, change.arrivedAt == .keep, change.leftAt == .keep {
            // "Absent" ticked on a child marked arrived by mistake: the times go with it.
            (tick.arrivedAt, tick.leftAt, tick.pickedUpBy) = (nil, nil, nil)
        }
        if case .set = change.arrivedAt, let arrived = tick.arrivedAt,
            let problem = timeProblem(arrived, day: entry.day, now: now, field: "arrivedAt")
        {
            problems.append(problem)
        }
        if case .set = change.leftAt, let left = tick.leftAt,
            let problem = timeProblem(left, day: entry.day, now: now, field: "leftAt")
        {
            problems.append(problem)
        }
        if tick.noShow && (tick.arrivedAt != nil || tick.leftAt != nil) {
            problems.append(
                FieldProblem(field: "noShow", message: tr("AttendanceSheets.un_enfant_marque_absent_n")))
        }
        if let left = tick.leftAt {
            if let arrived = tick.arrivedAt {
                if left < arrived {
                    problems.append(FieldProblem(field: "leftAt", message: tr("AttendanceSheets.le_depart_ne_peut_pas")))
                }
            } else {
                problems.append(FieldProblem(field: "leftAt", message: tr("AttendanceSheets.pointez_d_abord_l_arrivee")))
            }
            if !entry.mayLeaveAlone && tick.pickedUpBy == nil {
                problems.append(
                    FieldProblem(
                        field: "pickedUpBy",
                        message: tr("AttendanceSheets.cet_enfant_n_est_pas")))
            }
        }
        return problems.isEmpty ? .success(tick) : .failure(.invalid(problems))
    }

    /// A tick's time must fall on the activity's day (Paris) and not be ahead of now by
    /// more than a few minutes (a tablet's clock drifts; a tick for tomorrow is a mistake).
    static func timeProblem(_ instant: Date, day: LocalDate, now: Date, field: String) -> FieldProblem? {
        if ParisClock.date(of: instant) != day {
            return FieldProblem(field: field, message: tr("AttendanceSheets.l_heure_doit_etre_prise", day.french))
        }
        if instant > now.addingTimeInterval(10 * 60) {
            return FieldProblem(field: field, message: tr("AttendanceSheets.cette_heure_n_est_pas"))
        }
        return nil
    }

    static func detail(bookingID: Int, _ tick: AttendanceStore.Tick) -> [String: String] {
        [
            "booking": String(bookingID), "arrivedAt": tick.arrivedAt.map { ParisTime.format($0) } ?? "",
            "leftAt": tick.leftAt.map { ParisTime.format($0) } ?? "", "pickedUpBy": tick.pickedUpBy ?? "",
            "noShow": String(tick.noShow),
        ]
    }
}

extension AttendanceSheets.Change {
    func map<Other: Sendable & Equatable>(_ transform: (Value) -> Other) -> AttendanceSheets.Change<Other> {
        switch self {
        case .keep: .keep
        case .clear: .clear
        case .set(let value): .set(transform(value))
        }
    }
}
