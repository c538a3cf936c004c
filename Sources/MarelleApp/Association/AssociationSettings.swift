import MarelleCore
import MarelleDatabase
import MarelleStore

/// The association's own page and team: the public pages read the staff's names and roles
/// (never the families' accounts); the direction changes the settings and the names shown.
public struct AssociationSettings: Sendable {
    let database: Database
    let accounts = AccountStore()
    let associations: AssociationStore
    let audit = AuditLog()

    public init(database: Database) {
        self.database = database
        self.associations = AssociationStore(database: database)
    }

    /// The active staff, for the public "Les animateurs" page.
    public func team(tenant: Tenant) async throws -> [Account] {
        let accounts = accounts
        return try await database.withTenant(try tenant.scope()) { tx in try accounts.activeStaff(tx) }
    }

    public func update(tenant: Tenant, actor: Account, _ settings: AssociationStore.Settings, ip: String?) async throws {
        let (associations, audit) = (associations, audit)
        try await database.withTenant(try tenant.scope()) { tx in
            try associations.update(tx, settings)
            try audit.record(tx, actor: .account(actor), action: "association.update", ip: ip)
        }
    }

    /// The name a staff member shows on the public pages; false when `id` is not staff.
    public func renameStaff(tenant: Tenant, actor: Account, id: Int, name: String, ip: String?) async throws -> Bool {
        let (accounts, audit) = (accounts, audit)
        return try await database.withTenant(try tenant.scope()) { tx -> Bool in
            guard let target = try accounts.find(tx, id: id), target.role.isStaff else { return false }
            _ = try accounts.setDisplayName(tx, id: id, name: name)
            try audit.record(tx, actor: .account(actor), action: "staff.rename", subject: target.email, ip: ip)
            return true
        }
    }
}
