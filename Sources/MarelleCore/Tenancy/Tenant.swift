import struct Foundation.Date

/// One association hosted by this server.
public struct Tenant: Sendable, Hashable, Identifiable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case active
        case disabled
    }

    public let id: Int
    public let slug: String
    public let displayName: String
    /// `t_<id>`: generated, never taken from input.
    public let schemaName: String
    public let roleName: String
    public let status: Status
    public let createdAt: Date

    public init(
        id: Int, slug: String, displayName: String, schemaName: String, roleName: String,
        status: Status, createdAt: Date
    ) {
        self.id = id
        self.slug = slug
        self.displayName = displayName
        self.schemaName = schemaName
        self.roleName = roleName
        self.status = status
        self.createdAt = createdAt
    }
}
