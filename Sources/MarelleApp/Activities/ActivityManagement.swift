import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// The direction's periods, activities and closures: what the staff pages and the staff API
/// both do, each change audited in its own transaction. The stores' failures
/// (`PeriodStore.Failure`, `ActivityStore.Failure`) come through for the caller to word.
public struct ActivityManagement: Sendable {
    let database: Database
    let periods = PeriodStore()
    let activities = ActivityStore()
    let audit = AuditLog()

    public init(database: Database) {
        self.database = database
    }

    /// A period as the forms and the API give it.
    public struct PeriodInput: Sendable {
        public let name: String
        public let kind: PeriodStore.Kind
        public let days: DateRange
        public let opensAt: Date
        public let closesAt: Date

        public init(name: String, kind: PeriodStore.Kind, days: DateRange, opensAt: Date, closesAt: Date) {
            (self.name, self.kind, self.days, self.opensAt, self.closesAt) = (name, kind, days, opensAt, closesAt)
        }
    }

    /// What the activities page lists.
    public struct Overview: Sendable {
        public let activities: [ActivityStore.Activity]
        public let periods: [PeriodStore.Period]
        public let closures: [ActivityStore.Closure]
    }

    public func overview(tenant: Tenant) async throws -> Overview {
        let (activities, periods) = (activities, periods)
        return try await database.withTenant(try tenant.scope()) { tx in
            Overview(activities: try activities.list(tx), periods: try periods.list(tx), closures: try activities.closures(tx))
        }
    }

    public func periods(tenant: Tenant) async throws -> [PeriodStore.Period] {
        let periods = periods
        return try await database.withTenant(try tenant.scope()) { tx in try periods.list(tx) }
    }

    public func period(tenant: Tenant, id: Int) async throws -> PeriodStore.Period? {
        let periods = periods
        return try await database.withTenant(try tenant.scope()) { tx in try periods.find(tx, id: id) }
    }

    /// Adds (`id` nil) or changes a period; nil when there is no open period of that id.
    public func savePeriod(tenant: Tenant, actor: Account, id: Int?, _ input: PeriodInput, ip: String?) async throws
        -> PeriodStore.Period?
    {
        let (periods, audit) = (periods, audit)
        return try await database.withTenant(try tenant.scope()) { tx -> PeriodStore.Period? in
            let saved: PeriodStore.Period? =
                if let id {
                    try periods.update(
                        tx, id: id, name: input.name, kind: input.kind, days: input.days, opensAt: input.opensAt,
                        closesAt: input.closesAt)
                } else {
                    try periods.create(
                        tx, name: input.name, kind: input.kind, days: input.days, opensAt: input.opensAt, closesAt: input.closesAt
                    )
                }
            if let saved {
                try audit.record(
                    tx, actor: .account(actor), action: id == nil ? "period.create" : "period.update", subject: saved.name, ip: ip
                )
            }
            return saved
        }
    }

    public func activities(tenant: Tenant) async throws -> [ActivityStore.Activity] {
        let activities = activities
        return try await database.withTenant(try tenant.scope()) { tx in try activities.list(tx) }
    }

    public func activity(tenant: Tenant, id: Int) async throws -> ActivityStore.Activity? {
        let activities = activities
        return try await database.withTenant(try tenant.scope()) { tx in try activities.find(tx, id: id) }
    }

    /// A new activity with its first price; returns it as stored.
    public func createActivity(
        tenant: Tenant, actor: Account, _ draft: ActivityDraft, periodIDs: [Int], price: PriceRule?, ip: String?
    ) async throws -> ActivityStore.Activity? {
        let (activities, audit) = (activities, audit)
        return try await database.withTenant(try tenant.scope()) { tx in
            let id = try activities.create(tx, draft, periodIDs: periodIDs, price: price ?? .flat(.zero))
            try audit.record(tx, actor: .account(actor), action: "activity.create", subject: draft.name, ip: ip)
            return try activities.find(tx, id: id)
        }
    }

    /// Changes an activity (a new price starts a new entry; nil keeps the current one).
    public func updateActivity(
        tenant: Tenant, actor: Account, id: Int, _ draft: ActivityDraft, periodIDs: [Int], price: PriceRule?, ip: String?
    ) async throws -> ActivityStore.Activity? {
        let (activities, audit) = (activities, audit)
        return try await database.withTenant(try tenant.scope()) { tx in
            try activities.update(tx, id: id, draft, periodIDs: periodIDs, price: price)
            try audit.record(tx, actor: .account(actor), action: "activity.update", subject: String(id), ip: ip)
            return try activities.find(tx, id: id)
        }
    }

    /// Closes an activity; false when there is no open one of that id.
    public func closeActivity(tenant: Tenant, actor: Account, id: Int, ip: String?) async throws -> Bool {
        let activities = activities
        return try await closing(tenant: tenant, actor: actor, id: id, action: "activity.close", ip: ip) { tx in
            try activities.close(tx, activityID: id)
        }
    }

    /// Closes a period; false when there is no open one of that id.
    public func closePeriod(tenant: Tenant, actor: Account, id: Int, ip: String?) async throws -> Bool {
        let periods = periods
        return try await closing(tenant: tenant, actor: actor, id: id, action: "period.close", ip: ip) { tx in
            try periods.close(tx, id: id)
        }
    }

    private func closing(
        tenant: Tenant, actor: Account, id: Int, action: String, ip: String?,
        _ close: @escaping @Sendable (Session) throws -> Bool
    ) async throws -> Bool {
        let audit = audit
        return try await database.withTenant(try tenant.scope()) { tx in
            let closed = try close(tx)
            if closed { try audit.record(tx, actor: .account(actor), action: action, subject: String(id), ip: ip) }
            return closed
        }
    }

    /// A closure of the whole structure (`activityID` nil) or of one activity; returns its id.
    @discardableResult
    public func addClosure(tenant: Tenant, actor: Account, activityID: Int?, days: DateRange, reason: String, ip: String?)
        async throws -> Int
    {
        let (activities, audit) = (activities, audit)
        return try await database.withTenant(try tenant.scope()) { tx in
            let id = try activities.addClosure(tx, activityID: activityID, days: days, reason: reason)
            try audit.record(
                tx, actor: .account(actor), action: "closure.create", subject: "\(days.first.iso)..\(days.last.iso)", ip: ip)
            return id
        }
    }

    public func closures(tenant: Tenant) async throws -> [ActivityStore.Closure] {
        let activities = activities
        return try await database.withTenant(try tenant.scope()) { tx in try activities.closures(tx) }
    }

    /// Adds one date to an activity's calendar (`runs`) or takes one out.
    public func setDate(tenant: Tenant, actor: Account, activityID: Int, day: LocalDate, runs: Bool, ip: String?) async throws {
        let (activities, audit) = (activities, audit)
        try await database.withTenant(try tenant.scope()) { tx in
            try activities.setDate(tx, activityID: activityID, day: day, runs: runs)
            try audit.record(
                tx, actor: .account(actor), action: runs ? "activity.add-date" : "activity.remove-date",
                subject: "\(activityID) \(day.iso)", ip: ip)
        }
    }
}
