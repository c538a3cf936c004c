import Foundation

/// What a parent may do with one activity on one day, for one child: the state behind a
/// cell of the month calendar, for the pages and the API alike.
public enum DayAvailability: Sendable, Hashable {
    /// The activity does not run that day (weekday, closure, public holiday).
    case closed
    /// The child's level or age does not fit the activity.
    case notAllowed
    /// No booking window is open for the day's period now.
    case outsideWindow
    /// The booking deadline for the day has passed.
    case pastDeadline
    /// Every place is held.
    case full
    /// A place is free, at this price.
    case free(Money)

    public var isBookable: Bool {
        if case .free = self { return true }
        return false
    }

    /// The price of a free place; nil in every other state.
    public var freePrice: Money? {
        if case .free(let price) = self { price } else { nil }
    }

    /// A word for the cell's title and the API.
    public var code: String {
        switch self {
        case .closed: "closed"
        case .notAllowed: "not-allowed"
        case .outsideWindow: "outside-window"
        case .pastDeadline: "past-deadline"
        case .full: "full"
        case .free: "free"
        }
    }

    public var label: String {
        switch self {
        case .closed: tr("DayAvailability.ferme")
        case .notAllowed: tr("DayAvailability.non_accessible_pour_cet_enfant")
        case .outsideWindow: tr("DayAvailability.inscriptions_non_ouvertes")
        case .pastDeadline: tr("DayAvailability.delai_d_inscription_depasse")
        case .full: tr("DayAvailability.complet")
        case .free(let price): tr("DayAvailability.libre_1", price)
        }
    }
}

/// The rules of one activity that decide a day's availability for a child. Counts of held
/// places come from the database; everything else is decided here, without I/O.
public struct ActivityRules: Sendable {
    public let schedule: ActivitySchedule
    public let eligibility: Eligibility
    public let capacity: Int
    public let bookingDeadline: DeadlineRule
    public let price: PriceRule
    /// Booking windows: a day may be booked only while the window of a period holding it is
    /// open.
    public let windows: [BookingWindow]

    public struct BookingWindow: Sendable, Hashable {
        public let period: DateRange
        public let opensAt: Date
        public let closesAt: Date

        public init(period: DateRange, opensAt: Date, closesAt: Date) {
            self.period = period
            self.opensAt = opensAt
            self.closesAt = closesAt
        }

        public func isOpen(at now: Date) -> Bool { opensAt <= now && now < closesAt }
    }

    public init(
        schedule: ActivitySchedule, eligibility: Eligibility, capacity: Int, bookingDeadline: DeadlineRule, price: PriceRule,
        windows: [BookingWindow]
    ) {
        self.schedule = schedule
        self.eligibility = eligibility
        self.capacity = capacity
        self.bookingDeadline = bookingDeadline
        self.price = price
        self.windows = windows
    }

    /// The first reason that applies, in this order: closed, not allowed, outside the
    /// window, past the deadline, full; otherwise free at the family's price.
    public func availability(
        on date: LocalDate, level: SchoolLevel?, birthDate: LocalDate, quotient: Int?, held: Int, now: Date
    ) -> DayAvailability {
        guard schedule.runs(on: date) else { return .closed }
        guard eligibility.allows(level: level, birthDate: birthDate, on: date) else { return .notAllowed }
        guard windows.contains(where: { $0.period.contains(date) && $0.isOpen(at: now) }) else { return .outsideWindow }
        guard bookingDeadline.isOpen(for: date, at: now) else { return .pastDeadline }
        guard held < capacity else { return .full }
        return .free(price.price(quotient: quotient))
    }
}
