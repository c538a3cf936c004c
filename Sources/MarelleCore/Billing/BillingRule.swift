/// How an activity's booked dates become invoice lines (README, "Facturation"). Rules are
/// data, one row per activity; an activity without one bills with `standard`.
public struct BillingRule: Sendable, Hashable, Codable {
    /// What is billed: every booked date, or the dates the child came (a no-show then costs
    /// what an absence without certificate costs; a date nobody checked is billed as booked).
    public enum Basis: String, Sendable, Hashable, Codable, CaseIterable {
        case booked, attended

        public var label: String {
            switch self {
            case .booked: tr("BillingRule.basis_booked")
            case .attended: tr("BillingRule.basis_attended")
            }
        }
    }

    public var basis: Basis
    /// An absence declared with a certificate at most this many days after the date is free.
    public var certificateDays: Int
    /// What any other absence costs, in percent of the date's price.
    public var absencePercent: Int
    /// Counts for the tax certificate (frais de garde); a meal does not.
    public var childcare: Bool

    public static let standard = BillingRule(basis: .booked, certificateDays: 2, absencePercent: 100, childcare: true)
    public static let certificateDaysRange = 0...60
    public static let percentRange = 0...100

    public init(basis: Basis, certificateDays: Int, absencePercent: Int, childcare: Bool) {
        (self.basis, self.certificateDays, self.absencePercent, self.childcare) = (
            basis, certificateDays, absencePercent, childcare
        )
    }

    /// What happened to a booked date, as far as billing cares.
    public struct Facts: Sendable, Hashable {
        public let day: LocalDate
        public let priceCents: Int
        /// When the family declared the child absent (Paris date), and whether a certificate came with it.
        public let absenceDeclaredOn: LocalDate?
        public let absenceCertified: Bool
        /// Ticked "absent" on the attendance sheet.
        public let noShow: Bool

        public init(day: LocalDate, priceCents: Int, absenceDeclaredOn: LocalDate?, absenceCertified: Bool, noShow: Bool) {
            (self.day, self.priceCents, self.absenceDeclaredOn, self.absenceCertified, self.noShow) = (
                day, priceCents, absenceDeclaredOn, absenceCertified, noShow
            )
        }
    }

    /// Why a line costs what it costs; stored with the line.
    public enum LineRule: String, Sendable, Hashable, Codable, CaseIterable {
        case full
        case absenceExcused = "absence-excused"
        case absence
        case noShow = "no-show"
        case credit

        /// Said after the line on invoices, empty for a date billed in full.
        public var label: String {
            switch self {
            case .full, .credit: ""
            case .absenceExcused: tr("BillingRule.rule_absence_excused")
            case .absence: tr("BillingRule.rule_absence")
            case .noShow: tr("BillingRule.rule_no_show")
            }
        }
    }

    /// The line for a booked date: a declared absence first (free with a certificate in time,
    /// else the absence percentage), then, billing attended days, a no-show; else the price.
    public func bill(_ facts: Facts) -> (rule: LineRule, amountCents: Int) {
        if let declared = facts.absenceDeclaredOn {
            if facts.absenceCertified, declared <= facts.day.adding(days: certificateDays) {
                return (.absenceExcused, 0)
            }
            return (.absence, Self.percent(absencePercent, of: facts.priceCents))
        }
        if basis == .attended, facts.noShow {
            return (.noShow, Self.percent(absencePercent, of: facts.priceCents))
        }
        return (.full, facts.priceCents)
    }

    /// `percent` % of `cents`, rounded half up to the cent: 50 % of 4,15 € is 2,08 €.
    public static func percent(_ percent: Int, of cents: Int) -> Int {
        (cents * percent + 50) / 100
    }
}
