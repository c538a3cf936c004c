import Foundation
import MarelleCore
import MarelleDatabase

/// The families of one association, as staff list and search them.
public struct FamilyStore: Sendable {
    public init() {}

    public struct Family: Sendable {
        public let id: Int
        public let name: String
        public let notes: String
        public let createdAt: Date
        /// The parents' and children's names, for the list.
        public let members: String
        public let documentsToReview: Int
    }

    public func create(_ tx: Session, name: String) throws -> Int {
        try tx.queryOne("INSERT INTO families (name) VALUES (\(name)) RETURNING id").decode("id")
    }

    /// A family file the staff must chase (`f` is the family): no child yet, or no legal
    /// guardian with a name and a phone to call.
    public static let incomplete: SQL = """
        (NOT EXISTS (SELECT 1 FROM children c WHERE c.family_id = f.id)
         OR NOT EXISTS (SELECT 1 FROM guardians g WHERE g.family_id = f.id AND btrim(g.first_name) <> '' AND btrim(g.last_name) <> ''
                        AND coalesce(nullif(btrim(g.mobile_phone), ''), nullif(btrim(g.home_phone), ''), nullif(btrim(g.work_phone), '')) IS NOT NULL))
        """

    /// Families whose name, a parent's name or e-mail, or a child's name contains `search`
    /// (case and accents as typed), by name; at most `limit`; only incomplete files when asked.
    public func list(_ tx: Session, search: String = "", incompleteOnly: Bool = false, limit: Int = 200) throws -> [Family] {
        let pattern =
            "%"
            + search.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try tx.query(
            """
            SELECT f.id, f.name, f.notes, f.created_at,
                   concat_ws(', ', (SELECT string_agg(coalesce(nullif(btrim(g.first_name || ' ' || g.last_name), ''), g.email), ', ' ORDER BY g.id) FROM guardians g WHERE g.family_id = f.id),
                                   (SELECT string_agg(c.first_name, ', ' ORDER BY c.birth_date) FROM children c WHERE c.family_id = f.id)) AS members,
                   (SELECT count(*)::int FROM documents d WHERE d.family_id = f.id AND d.status = 'received') AS pending
            FROM families f
            WHERE (NOT \(incompleteOnly) OR \(Self.incomplete)) AND (\(search.isEmpty) OR lower(f.name) LIKE \(pattern)
               OR EXISTS (SELECT 1 FROM guardians g WHERE g.family_id = f.id
                          AND (lower(g.first_name || ' ' || g.last_name) LIKE \(pattern) OR lower(coalesce(g.email, '')) LIKE \(pattern)))
               OR EXISTS (SELECT 1 FROM children c WHERE c.family_id = f.id AND lower(c.first_name || ' ' || c.last_name) LIKE \(pattern))
               OR EXISTS (SELECT 1 FROM accounts a WHERE a.family_id = f.id AND a.email LIKE \(pattern)))
            ORDER BY lower(f.name), f.id
            LIMIT \(limit)
            """
        ).map(Self.decode)
    }

    public func find(_ tx: Session, id: Int) throws -> Family? {
        try tx.queryFirst(
            """
            SELECT f.id, f.name, f.notes, f.created_at, '' AS members,
                   (SELECT count(*)::int FROM documents d WHERE d.family_id = f.id AND d.status = 'received') AS pending
            FROM families f WHERE f.id = \(id)
            """
        ).map(Self.decode)
    }

    /// Whether the family exists, held (`FOR KEY SHARE`, what a foreign key would take) until
    /// the transaction ends: a write that refers to it checks here first, so that an unknown
    /// id is a 404 and an erasure cannot slip between the check and the insert.
    public func holdExisting(_ tx: Session, id: Int) throws -> Bool {
        try tx.queryFirst("SELECT id FROM families WHERE id = \(id) FOR KEY SHARE") != nil
    }

    public func setNotes(_ tx: Session, id: Int, notes: String) throws -> Bool {
        try tx.queryFirst("UPDATE families SET notes = \(notes) WHERE id = \(id) RETURNING id") != nil
    }

    static func decode(_ row: Row) throws -> Family {
        Family(
            id: try row.decode("id"), name: try row.decode("name"), notes: try row.decode("notes"),
            createdAt: try row.decode("created_at"),
            members: try row.decode("members", as: String?.self) ?? "", documentsToReview: try row.decode("pending"))
    }
}
