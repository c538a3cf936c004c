import Foundation
import MarelleCore
import MarelleDatabase

/// "Valider": a family's basket becomes booking lines, in the caller's transaction. Places
/// are taken by a conditional counter update (`held < capacity`), never by a check then an
/// act. The caller holds the family's row lock (`FOR UPDATE`, taken before anything else of
/// the family is written) so that its own submissions run one at a time (duplicates and
/// overlapping slots are then checked against settled data), and empties the basket with its
/// closing writes (`BasketStore.clearing`).
public struct SubmitBasket: Sendable {
    public init() {}

    public enum Outcome: String, Sendable, Codable {
        case requested, waiting, validated, cancelRequested = "cancel_requested", cancelled, refused
    }

    public struct LineResult: Sendable, Codable, Equatable {
        public let childID: Int
        public let childName: String
        public let activityID: Int
        public let activityName: String
        public let day: LocalDate
        public let kind: BasketKind
        public let outcome: Outcome
        public let priceCents: Int?
        /// Why a line was refused, in French.
        public let reason: String?
        public let bookingID: Int?
    }

    public struct Result: Sendable, Codable, Equatable {
        public let submissionID: Int
        public let lines: [LineResult]
        /// Other families' waiting-list lines that took the places this submission's
        /// cancellations freed (automatic mode): they are told by e-mail.
        public var promotedBookingIDs: [Int] = []
        public var accepted: [LineResult] { lines.filter { $0.outcome != .refused } }
    }

    /// Submits every line of the basket at `now`. Lines that cannot be booked are refused one
    /// by one with their reason; the others go through. Nil when the basket is empty.
    ///
    /// Staff booking for a family give their own `lines` (the family's basket is left as it
    /// is); the direction may book past the booking deadline or outside the booking window
    /// (`overridingDeadlines`), which also lifts the block on a family whose overdue invoices
    /// pass the association's threshold (`OverdueStore.block`). Every other rule holds:
    /// closures, the child's level and age, duplicates, overlapping slots, and the capacity.
    public func run(
        _ tx: Session, familyID: Int, accountID: Int, now: Date, submissionID: Int, lines given: [BasketStore.Line]? = nil,
        overridingDeadlines: Bool = false
    ) throws -> Result? {
        let basket = try given ?? BasketStore().lines(tx, familyID: familyID)
        guard !basket.isEmpty, let first = basket.map(\.day).min(), let last = basket.map(\.day).max() else { return nil }
        // Everything else the rules read, in one statement: the quotient, the children, the
        // basket's open activities and their rules on the basket's dates, and the children's
        // live bookings on those dates (duplicates and overlapping slots). The family's row is
        // locked, so nothing of the family changes meanwhile. Binds of what the basket holds,
        // not subqueries of it: the plans stay those of the calendar's own reads (`make bench`:
        // subqueries of basket_lines made this statement eight times slower under the rush).
        let activityIDs = Array(Set(basket.map(\.activityID)))
        let reads = CalendarStore.RuleReads(activityIDs: "\(activityIDs)", first: "\(first)", last: "\(last)")
        let (quotient, childList, activities, windows, closures, changes, prices, held, liveBooked, overdue) = try tx.fetchInOne(
            ChildStore().quotient(familyID: familyID), ChildStore().list(familyID: familyID),
            ActivityStore().list(ids: activityIDs),
            reads.windows, reads.closures, reads.changes, reads.prices, reads.held,
            liveBookings(childIDs: Array(Set(basket.map(\.childID))), days: Array(Set(basket.map(\.day)))),
            OverdueStore().block(familyID: familyID, today: ParisClock.date(of: now)))
        // Unpaid invoices past the threshold: no new booking, cancellations still go through.
        let blocked = overridingDeadlines ? nil : overdue.map { tr("SubmitBasket.blocked_unpaid", Money(cents: $0).description) }
        let children = Dictionary(uniqueKeysWithValues: childList.map { ($0.id, $0) })
        let rules = CalendarStore.Rules((windows, closures, changes, prices, held))
        // Each activity's mode and rules, from the same rules as the calendar.
        let modes = Dictionary(uniqueKeysWithValues: activities.map { ($0.id, $0.draft) })
        let rulesByActivity = Dictionary(uniqueKeysWithValues: activities.map { ($0.id, rules.of($0)) })
        var live = liveBooked
        var results: [LineResult] = []
        func result(_ line: BasketStore.Line, _ outcome: Outcome, price: Int? = nil, reason: String? = nil, booking: Int? = nil)
            -> LineResult
        {
            LineResult(
                childID: line.childID, childName: line.childName, activityID: line.activityID, activityName: line.activityName,
                day: line.day, kind: line.kind, outcome: outcome, priceCents: price, reason: reason, bookingID: booking)
        }
        // First, with no counter locked: each booking line is refused with its reason, or planned.
        let ordered = basket.sorted(by: { ($0.activityID, $0.day, $0.id) < ($1.activityID, $1.day, $1.id) })
        var planned: [Planned] = []
        for line in ordered where line.kind == .booking {
            if let blocked {
                results.append(result(line, .refused, reason: blocked))
                continue
            }
            guard let draft = modes[line.activityID], let (activityRules, price) = rulesByActivity[line.activityID],
                let child = children[line.childID]
            else {
                results.append(result(line, .refused, reason: tr("SubmitBasket.cette_activite_n_est_plus")))
                continue
            }
            let state = activityRules.availability(
                on: line.day, level: child.level, birthDate: child.birthDate, quotient: quotient,
                held: rules.held[line.activityID]?[line.day] ?? 0, now: now)
            switch state {
            case .outsideWindow where overridingDeadlines, .pastDeadline where overridingDeadlines: break
            case .closed, .notAllowed, .outsideWindow, .pastDeadline:
                results.append(result(line, .refused, reason: state.label))
                continue
            case .full, .free: break
            }
            if live.contains(where: { $0.childID == line.childID && $0.activityID == line.activityID && $0.day == line.day }) {
                results.append(result(line, .refused, reason: tr("SubmitBasket.deja_reserve_pour_cet_enfant")))
                continue
            }
            if let other = live.first(where: {
                $0.childID == line.childID && $0.day == line.day && $0.startsAt < draft.endsAt && draft.startsAt < $0.endsAt
            }) {
                results.append(result(line, .refused, reason: tr("SubmitBasket.meme_horaire_que_1_ce", other.activityName)))
                continue
            }
            let cents: Int = if case .free(let money) = state { money.cents } else { price.price(quotient: quotient).cents }
            live.append(
                .init(
                    childID: line.childID, activityID: line.activityID, activityName: line.activityName, day: line.day,
                    startsAt: draft.startsAt, endsAt: draft.endsAt))
            planned.append(Planned(line: line, cents: cents, automatic: draft.validationMode == .automatic))
        }
        // Then the counters, all locked at once and in one order; cancellations give their
        // places back first, and the booking lines take what is free, in basket order.
        let counters = BookingCounters()
        let cancellations = ordered.filter { $0.kind == .cancellation }
        let keys = Set((planned.map(\.line) + cancellations).map { BookingCounters.Key(activityID: $0.activityID, day: $0.day) })
        var free = try counters.lock(tx, keys)
        var promoted: [Int] = []
        for line in cancellations {
            let (cancelled, promotion) = try cancel(tx, line: line, draft: modes[line.activityID], familyID: familyID, now: now) {
                result(line, $0, price: $1, reason: $2, booking: $3)
            }
            results.append(cancelled)
            if let promotion { promoted.append(promotion) }
        }
        if !cancellations.isEmpty { free = try counters.free(tx, keys) }
        var taken: [BookingCounters.Key: Int] = [:]
        let statuses = planned.map { plan -> BookingStatus in
            let key = BookingCounters.Key(activityID: plan.line.activityID, day: plan.line.day)
            guard (free[key] ?? 0) > (taken[key] ?? 0) else { return .waiting }
            taken[key, default: 0] += 1
            return plan.automatic ? .validated : .requested
        }
        let ids = try insert(tx, planned, statuses, taken: taken, submissionID: submissionID, familyID: familyID)
        for (plan, status) in zip(planned, statuses) {
            results.append(
                result(
                    plan.line, Outcome(rawValue: status.rawValue) ?? .requested, price: plan.cents,
                    booking: ids[DayKey(childID: plan.line.childID, activityID: plan.line.activityID, day: plan.line.day)]))
        }
        return Result(
            submissionID: submissionID,
            lines: results.sorted { ($0.day, $0.activityName, $0.childName) < ($1.day, $1.activityName, $1.childName) },
            promotedBookingIDs: promoted)
    }

    private func cancel(
        _ tx: Session, line: BasketStore.Line, draft: ActivityDraft?, familyID: Int, now: Date,
        result: (Outcome, Int?, String?, Int?) -> LineResult
    ) throws -> (LineResult, promoted: Int?) {
        guard let bookingID = line.bookingID else {
            return (result(.refused, nil, tr("SubmitBasket.reservation_introuvable"), nil), nil)
        }
        let draft: ActivityDraft? = if let draft { draft } else { try ActivityStore().find(tx, id: line.activityID)?.draft }
        guard let draft else { return (result(.refused, nil, tr("SubmitBasket.cette_activite_n_est_plus"), bookingID), nil) }
        guard draft.cancellationDeadline.isOpen(for: line.day, at: now) else {
            return (
                result(
                    .refused, nil, tr("SubmitBasket.delai_d_annulation_depasse_1", draft.cancellationDeadline.label), bookingID),
                nil
            )
        }
        let automatic = draft.validationMode == .automatic
        let updated = try tx.queryFirst(
            """
            UPDATE bookings SET status = \(automatic ? "cancelled" : "cancel_requested"), cancel_requested_at = now(),
                   decided_at = CASE WHEN \(automatic) THEN now() ELSE decided_at END
            WHERE id = \(bookingID) AND family_id = \(familyID) AND status = 'validated'
            RETURNING price_cents
            """)
        guard let updated else { return (result(.refused, nil, tr("SubmitBasket.cette_reservation_n_est_plus"), bookingID), nil) }
        let promoted = automatic ? try BookingCounters().release(tx, activityID: line.activityID, day: line.day) : nil
        return (result(automatic ? .cancelled : .cancelRequested, try updated.decode("price_cents"), nil, bookingID), promoted)
    }

    /// A booking line that passed every rule and waits for its place.
    private struct Planned {
        let line: BasketStore.Line
        let cents: Int
        let automatic: Bool
    }

    /// The places `taken` added to their counters and the booking rows of the planned lines,
    /// in one statement (one round trip less while the counters are locked) and in basket
    /// order; their ids by child, activity and date (unique among live rows). The waiting
    /// list's order is not this insert's: it is the submissions' (`BookingCounters.promote`).
    private func insert(
        _ tx: Session, _ planned: [Planned], _ statuses: [BookingStatus], taken: [BookingCounters.Key: Int],
        submissionID: Int, familyID: Int
    ) throws -> [DayKey: Int] {
        guard !planned.isEmpty else { return [:] }
        let counters = taken.filter { $0.value > 0 }
        var ids: [DayKey: Int] = [:]
        for row in try tx.query(
            """
            WITH taken AS (
                UPDATE activity_days d SET held = held + k.n
                FROM unnest(\(counters.map(\.key.activityID)), \(counters.map(\.key.day.iso))::date[], \(counters.map(\.value))) AS k(activity_id, day, n)
                WHERE d.activity_id = k.activity_id AND d.day = k.day)
            INSERT INTO bookings (submission_id, family_id, child_id, activity_id, day, status, price_cents, decided_at)
            SELECT \(submissionID), \(familyID), k.child_id, k.activity_id, k.day, k.status, k.cents, CASE WHEN k.status = 'validated' THEN now() END
            FROM unnest(\(planned.map(\.line.childID)), \(planned.map(\.line.activityID)), \(planned.map(\.line.day.iso))::date[],
                        \(statuses.map(\.rawValue)), \(planned.map(\.cents))) WITH ORDINALITY AS k(child_id, activity_id, day, status, cents, n)
            ORDER BY k.n
            RETURNING id, child_id, activity_id, day
            """)
        {
            ids[
                DayKey(childID: try row.decode("child_id"), activityID: try row.decode("activity_id"), day: try row.decode("day"))
            ] = try row.decode("id")
        }
        return ids
    }

    private struct DayKey: Hashable {
        let childID: Int
        let activityID: Int
        let day: LocalDate
    }

    struct LiveBooking: Sendable {
        let childID: Int
        let activityID: Int
        let activityName: String
        let day: LocalDate
        let startsAt: LocalTime
        let endsAt: LocalTime
    }

    /// The live bookings of these children on these dates.
    private func liveBookings(childIDs: [Int], days: [LocalDate]) -> Query<[LiveBooking]> {
        .rows(
            """
            SELECT b.child_id, b.activity_id, a.name, b.day, to_char(a.starts_at, 'HH24:MI') AS starts_at, to_char(a.ends_at, 'HH24:MI') AS ends_at
            FROM bookings b JOIN activities a ON a.id = b.activity_id
            WHERE b.child_id = ANY(\(childIDs)) AND b.day = ANY(\(days.map(\.iso))::date[])
              AND b.status IN ('requested', 'waiting', 'validated', 'cancel_requested')
            """
        ) {
            LiveBooking(
                childID: try $0.decode("child_id"), activityID: try $0.decode("activity_id"), activityName: try $0.decode("name"),
                day: try $0.decode("day"), startsAt: LocalTime(try $0.decode("starts_at", as: String.self))!,
                endsAt: LocalTime(try $0.decode("ends_at", as: String.self))!)
        }
    }
}
