import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import Testing

/// Booked dates as the invoicing run finds them: an activity, and validated booking lines
/// with their frozen price, written straight to the tables the booking path fills.
enum BillingFixtures {
    static func activity(_ tenant: Tenant, name: String = "Accueil du soir", rule: BillingRule? = nil) async throws -> Int {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            let id: Int = try tx.queryOne(
                """
                INSERT INTO activities (name, starts_at, ends_at, capacity, weekdays, validation_mode, booking_days_before,
                    booking_time, cancel_days_before, cancel_time)
                VALUES (\(name), '16:30', '18:30', 30, '{1,2,3,4,5}', 'manual', 1, '10:00', 1, '10:00') RETURNING id
                """
            ).decode("id")
            if let rule { _ = try BillingRuleStore().set(tx, activityID: id, rule: rule) }
            return id
        }
    }

    /// Validated lines for `days` at `cents` each; their booking ids.
    @discardableResult
    static func book(
        _ tenant: Tenant, family: BookingFixtures.Family, activityID: Int, days: [LocalDate], cents: Int,
        status: BookingStatus = .validated
    ) async throws -> [Int] {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try days.map { day in
                try tx.queryOne(
                    """
                    INSERT INTO bookings (family_id, child_id, activity_id, day, status, price_cents)
                    VALUES (\(family.familyID), \(family.childID), \(activityID), \(day), \(status.rawValue), \(cents))
                    RETURNING id
                    """
                ).decode("id")
            }
        }
    }

    /// The first `count` weekdays (Monday to Friday) of `month`.
    static func weekdays(of month: Month, count: Int) -> [LocalDate] {
        var days: [LocalDate] = []
        var day = month.first
        while days.count < count && day <= month.last {
            if day.weekday <= 5 { days.append(day) }
            day = day.adding(days: 1)
        }
        return days
    }

    /// Two families booked in February 2027 at 4,15 € a date: 17 dates for the first (70,55 €),
    /// 2 for the second.
    static func february(_ tenant: Tenant) async throws -> [BookingFixtures.Family] {
        let families = try await BookingFixtures.families(tenant, count: 2)
        let activity = try await activity(tenant)
        for (family, count) in zip(families, [17, 2]) {
            try await book(
                tenant, family: family, activityID: activity, days: weekdays(of: Month(iso: "2027-02")!, count: count), cents: 415
            )
        }
        return families
    }

    /// `february`'s families with their invoices issued by the direction; the invoice numbers.
    static func issuedFebruary(_ tenant: Tenant) async throws -> (
        families: [BookingFixtures.Family], staff: Account, numbers: [String]
    ) {
        let families = try await february(tenant)
        let staff = try await staff(tenant)
        let run = try await TestEnvironment.runtime().useCases.billing.issue(
            tenant: tenant, actor: .account(staff), month: Month(iso: "2027-02")!, ip: nil)
        return (families, staff, run.numbers)
    }

    /// The family's first parent account.
    static func parent(_ tenant: Tenant, _ family: BookingFixtures.Family) async throws -> Account {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try #require(try AccountStore().list(tx, familyID: family.familyID).first)
        }
    }

    static func staff(_ tenant: Tenant) async throws -> Account {
        try await AccountFixtures.account(in: tenant, role: .direction)
    }
}
