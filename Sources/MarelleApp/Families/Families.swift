import MarelleCore
import MarelleDatabase
import MarelleStore

/// Reading families and their file, and the staff's notes: what the family pages, the staff
/// pages and the API share.
public struct Families: Sendable {
    let database: Database
    let families = FamilyStore()
    let file = FamilyFileStore()

    public init(database: Database) {
        self.database = database
    }

    /// The staff's list, searched by family and children's names.
    public func list(tenant: Tenant, search: String, incompleteOnly: Bool = false) async throws -> [FamilyStore.Family] {
        let families = families
        return try await database.withTenant(try tenant.scope()) { tx in
            try families.list(tx, search: search, incompleteOnly: incompleteOnly)
        }
    }

    /// The parent's home page: next bookings, decisions awaited, refusals, documents, file.
    public func home(tenant: Tenant, familyID: Int, today: LocalDate) async throws -> FamilyHomeStore.Summary {
        try await database.withTenant(try tenant.scope()) { tx in
            try FamilyHomeStore().summary(tx, familyID: familyID, today: today)
        }
    }

    public func find(tenant: Tenant, familyID: Int) async throws -> FamilyStore.Family? {
        let families = families
        return try await database.withTenant(try tenant.scope()) { tx in try families.find(tx, id: familyID) }
    }

    /// A family's file: the family, its legal guardians and its children; nil when unknown.
    public struct File: Sendable {
        public let family: FamilyStore.Family
        public let guardians: [FamilyFileStore.Guardian]
        public let children: [FamilyFileStore.Child]
    }

    public func file(tenant: Tenant, familyID: Int) async throws -> File? {
        let (families, file) = (families, file)
        return try await database.withTenant(try tenant.scope()) { tx in
            try families.find(tx, id: familyID).map {
                File(
                    family: $0, guardians: try file.guardians(tx, familyID: familyID),
                    children: try file.children(tx, familyID: familyID))
            }
        }
    }

    public func guardian(tenant: Tenant, familyID: Int, id: Int) async throws -> FamilyFileStore.Guardian? {
        let file = file
        return try await database.withTenant(try tenant.scope()) { tx in try file.guardian(tx, id: id, familyID: familyID) }
    }

    public func child(tenant: Tenant, familyID: Int, id: Int) async throws -> FamilyFileStore.Child? {
        let file = file
        return try await database.withTenant(try tenant.scope()) { tx in try file.child(tx, id: id, familyID: familyID) }
    }

    /// Everything the staff's page of a family shows: its file, documents, accounts, the
    /// bookings of the last month and the coming year, and the consents given.
    public struct Record: Sendable {
        public let file: File
        public let documents: [DocumentStore.Document]
        public let accounts: [Account]
        public let bookings: [BookingDecisions.Line]
        public let consents: [PrivacyStore.Consent]
    }

    public func record(tenant: Tenant, familyID id: Int, today: LocalDate) async throws -> Record? {
        let (families, file) = (families, file)
        return try await database.withTenant(try tenant.scope()) { tx -> Record? in
            guard let family = try families.find(tx, id: id) else { return nil }
            return Record(
                file: File(
                    family: family, guardians: try file.guardians(tx, familyID: id), children: try file.children(tx, familyID: id)
                ),
                documents: try DocumentStore().list(tx, familyID: id), accounts: try AccountStore().list(tx, familyID: id),
                bookings: try BookingDecisions().bookings(
                    tx, familyID: id, from: today.adding(days: -31), to: today.adding(days: 366)),
                consents: try PrivacyStore().consents(tx, familyID: id))
        }
    }

    /// "Mon compte": the family's cards, and whether this parent accepted the privacy text.
    public func cards(tenant: Tenant, familyID: Int, accountID: Int) async throws -> (
        guardians: [FamilyFileStore.Guardian], children: [FamilyFileStore.Child], accepted: Bool
    ) {
        let file = file
        return try await database.withTenant(try tenant.scope()) { tx in
            (
                try file.guardians(tx, familyID: familyID), try file.children(tx, familyID: familyID),
                try PrivacyStore().hasAcceptedCurrent(tx, accountID: accountID)
            )
        }
    }

    /// The guardian to edit (nil for a new one, or when `id` is not the family's) and the
    /// privacy text the form's consent refers to.
    public func guardianForm(tenant: Tenant, familyID: Int, id: Int?) async throws -> (
        guardian: FamilyFileStore.Guardian?, text: PrivacyStore.Text
    ) {
        let file = file
        return try await database.withTenant(try tenant.scope()) { tx in
            (try id.map { try file.guardian(tx, id: $0, familyID: familyID) } ?? nil, try PrivacyStore().current(tx))
        }
    }

    /// The child to edit (nil for a new one, or when `id` is not the family's) and the privacy
    /// text the form's consent refers to.
    public func childForm(tenant: Tenant, familyID: Int, id: Int?) async throws -> (
        child: FamilyFileStore.Child?, text: PrivacyStore.Text
    ) {
        let file = file
        return try await database.withTenant(try tenant.scope()) { tx in
            (try id.map { try file.child(tx, id: $0, familyID: familyID) } ?? nil, try PrivacyStore().current(tx))
        }
    }

    /// A family's data export (its file as JSON and its documents), audited; nil when unknown.
    public func export(tenant: Tenant, account: Account, familyID: Int, ip: String?) async throws -> (
        json: String, documents: [(name: String, bytes: [UInt8])]
    )? {
        try await database.withTenant(try tenant.scope()) { tx in
            let export = try FamilyRecords().export(tx, familyID: familyID)
            try AuditLog().record(tx, actor: .account(account), action: "family.export", subject: "family:\(familyID)", ip: ip)
            return export
        }
    }

    /// The parents' accounts, for the staff's invitations page.
    public func parentAccounts(tenant: Tenant) async throws -> [Account] {
        try await database.withTenant(try tenant.scope()) { tx in try AccountStore().list(tx, role: .parent) }
    }

    /// The staff's notes on a family, audited; false when there is no such family.
    public func setNotes(tenant: Tenant, actor: Account, familyID: Int, notes: String, ip: String?) async throws -> Bool {
        let families = families
        return try await database.withTenant(try tenant.scope()) { tx in
            let saved = try families.setNotes(tx, id: familyID, notes: notes)
            if saved {
                try AuditLog().record(tx, actor: .account(actor), action: "family.notes", subject: "family:\(familyID)", ip: ip)
            }
            return saved
        }
    }
}
