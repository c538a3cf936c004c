/// The schema and role of one tenant, checked against the only shapes Marelle generates, so
/// that nothing taken from a request can ever become a schema or role name.
public struct TenantScope: Sendable, Hashable {
    public let schema: String
    public let role: String
    /// The cluster holding the schema (nil: the main one); `Database.withTenant` goes there.
    public let cluster: String?

    public init(schema: String, role: String, cluster: String? = nil) throws(DatabaseError) {
        guard Self.isSchemaName(schema) else {
            throw DatabaseError(kind: .client, message: "invalid tenant schema name")
        }
        guard Self.isRoleName(role) else {
            throw DatabaseError(kind: .client, message: "invalid tenant role name")
        }
        self.schema = schema
        self.role = role
        self.cluster = cluster
    }

    /// `^t_[a-z0-9_]{1,40}$`
    public static func isSchemaName(_ name: String) -> Bool {
        let utf8 = Array(name.utf8)
        guard utf8.count >= 3, utf8.count <= 42, utf8[0] == 0x74, utf8[1] == 0x5F else { return false }
        return utf8[2...].allSatisfy(isLowerAlnumOrUnderscore)
    }

    /// Lower-case letters, digits and `_`, 63 bytes at most (PostgreSQL's NAMEDATALEN - 1).
    public static func isRoleName(_ name: String) -> Bool {
        let utf8 = Array(name.utf8)
        guard !utf8.isEmpty, utf8.count <= 63, utf8[0] >= 0x61, utf8[0] <= 0x7A else { return false }
        return utf8.allSatisfy(isLowerAlnumOrUnderscore)
    }

    private static func isLowerAlnumOrUnderscore(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
    }
}
