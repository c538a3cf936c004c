import MarelleCore
import MarelleDatabase

/// The billing rule of each activity (`billing_rules`; an activity without a row bills with
/// `BillingRule.standard`).
public struct BillingRuleStore: Sendable {
    public init() {}

    public func rule(_ tx: Session, activityID: Int) throws -> BillingRule {
        guard
            let row = try tx.queryFirst(
                "SELECT basis, certificate_days, absence_percent, childcare FROM billing_rules WHERE activity_id = \(activityID)")
        else { return .standard }
        return try Self.rule(row)
    }

    static func rule(_ row: Row) throws -> BillingRule {
        BillingRule(
            basis: BillingRule.Basis(rawValue: try row.decode("basis")) ?? .booked,
            certificateDays: try row.decode("certificate_days"), absencePercent: try row.decode("absence_percent"),
            childcare: try row.decode("childcare"))
    }

    /// Creates or replaces the activity's rule; false when the activity does not exist.
    public func set(_ tx: Session, activityID: Int, rule: BillingRule) throws -> Bool {
        try tx.execute(
            """
            INSERT INTO billing_rules (activity_id, basis, certificate_days, absence_percent, childcare)
            SELECT id, \(rule.basis.rawValue), \(rule.certificateDays), \(rule.absencePercent), \(rule.childcare)
            FROM activities WHERE id = \(activityID)
            ON CONFLICT (activity_id) DO UPDATE SET basis = excluded.basis, certificate_days = excluded.certificate_days,
                absence_percent = excluded.absence_percent, childcare = excluded.childcare, updated_at = now()
            """) == 1
    }
}
