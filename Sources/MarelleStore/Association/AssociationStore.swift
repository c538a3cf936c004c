import MarelleCore
import MarelleDatabase

/// The association's own settings, in its tenant schema.
public struct AssociationStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Settings: Sendable, Equatable {
        public var displayName: String
        public var contactEmail: String?
        public var phone: String?
        public var postalAddress: String?
        public var openingHours: String?

        public init(displayName: String, contactEmail: String?, phone: String?, postalAddress: String?, openingHours: String?) {
            (self.displayName, self.contactEmail, self.phone, self.postalAddress, self.openingHours) = (
                displayName, contactEmail, phone, postalAddress, openingHours
            )
        }
    }

    public func settings(of tenant: Tenant) async throws -> Settings {
        try await database.withTenant(try tenant.scope()) { session in
            let row = try session.queryFirst(
                "SELECT display_name, contact_email, phone, postal_address, opening_hours FROM association_settings")
            guard let row else { return Settings(displayName: tenant.displayName) }
            return Settings(
                displayName: try row.decode("display_name"),
                contactEmail: try row.decode("contact_email"),
                phone: try row.decode("phone"),
                postalAddress: try row.decode("postal_address"),
                openingHours: try row.decode("opening_hours"))
        }
    }
}

extension AssociationStore {
    /// Replaces the association's settings (the staff's "L'association" form).
    public func update(_ tx: Session, _ s: Settings) throws {
        try tx.execute(
            """
            INSERT INTO association_settings (display_name, contact_email, phone, postal_address, opening_hours)
            VALUES (\(s.displayName), \(s.contactEmail), \(s.phone), \(s.postalAddress), \(s.openingHours))
            ON CONFLICT (singleton) DO UPDATE SET display_name = EXCLUDED.display_name, contact_email = EXCLUDED.contact_email,
                phone = EXCLUDED.phone, postal_address = EXCLUDED.postal_address, opening_hours = EXCLUDED.opening_hours, updated_at = now()
            """)
    }
}

extension AssociationStore.Settings {

    init(displayName: String) {
        self.init(displayName: displayName, contactEmail: nil, phone: nil, postalAddress: nil, openingHours: nil)
    }
}
