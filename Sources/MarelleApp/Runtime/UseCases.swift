import MarelleDatabase

/// The use cases the web module calls, made on demand from the one database handle, so that
/// the web module holds no `Database` of its own.
public struct UseCases: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public var calendars: Calendars { Calendars(database: database) }
    public var basket: Basket { Basket(database: database) }
    public var basketFilling: BasketFilling { BasketFilling(database: database) }
    public var families: Families { Families(database: database) }
    public var absences: Absences { Absences(database: database) }
    public var attendance: AttendanceSheets { AttendanceSheets(database: database) }
    public var exports: Exports { Exports(database: database) }
    public var dashboard: Dashboard { Dashboard(database: database) }
    public var activities: ActivityManagement { ActivityManagement(database: database) }
    public var authentication: Authentication { Authentication(database: database) }
    public var availability: Availability { Availability(database: database) }
    public var capturedMail: CapturedMail { CapturedMail(database: database) }
    public var association: AssociationSettings { AssociationSettings(database: database) }
    public var billing: Billing { Billing(database: database) }
    public var billingDocuments: BillingDocuments { BillingDocuments(database: database) }
}
