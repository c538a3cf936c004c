import struct Foundation.Date

/// One association hosted by this server.
public struct Tenant: Sendable, Hashable, Identifiable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case active
        case disabled
        /// Being copied to another cluster: pages read, nothing is written.
        case moving
    }

    public let id: Int
    public let slug: String
    public let displayName: String
    /// `t_<id>`: generated, never taken from input.
    public let schemaName: String
    public let roleName: String
    public let status: Status
    public let createdAt: Date
    /// The PostgreSQL cluster holding the schema, by its name in the configuration; nil for
    /// the cluster of the control schema.
    public let cluster: String?

    public init(
        id: Int, slug: String, displayName: String, schemaName: String, roleName: String,
        status: Status, createdAt: Date, cluster: String? = nil
    ) {
        self.cluster = cluster
        self.id = id
        self.slug = slug
        self.displayName = displayName
        self.schemaName = schemaName
        self.roleName = roleName
        self.status = status
        self.createdAt = createdAt
    }
}
