import Foundation
import MarelleCore
import MarelleDatabase

/// Documents sent by families, bytes included. Every lookup by id names the family allowed
/// to see it (nil for staff).
public struct DocumentStore: Sendable {
    public init() {}

    public struct Document: Sendable {
        public let id: Int
        public let familyID: Int
        public let childID: Int?
        public let childName: String?
        public let kind: DocumentKind
        public let fileName: String
        public let type: FileType
        public let byteSize: Int
        public let sha256: String
        public let status: DocumentStatus
        public let refusalReason: String?
        public let uploadedAt: Date
        public let decidedAt: Date?
    }

    public struct Upload: Sendable {
        public let familyID: Int
        public let childID: Int?
        public let kind: DocumentKind
        public let fileName: String
        public let type: FileType
        public let bytes: [UInt8]
        public let sha256: String
        public let uploadedBy: Int?

        public init(
            familyID: Int, childID: Int?, kind: DocumentKind, fileName: String, type: FileType, bytes: [UInt8], sha256: String,
            uploadedBy: Int?
        ) {
            (self.familyID, self.childID, self.kind, self.fileName, self.type, self.bytes, self.sha256, self.uploadedBy) =
                (familyID, childID, kind, fileName, type, bytes, sha256, uploadedBy)
        }
    }

    static let columns: SQL = """
        d.id, d.family_id, d.child_id, c.first_name AS child_name, d.kind, d.file_name, d.content_type, d.byte_size, d.sha256,
        d.status, d.refusal_reason, d.uploaded_at, d.decided_at
        """

    /// Stores a document; the child, when named, must belong to the same family (checked in
    /// the statement itself, so a forged child id stores nothing).
    public func insert(_ tx: Session, _ u: Upload) throws -> Int? {
        try tx.queryFirst(
            """
            INSERT INTO documents (family_id, child_id, kind, file_name, content_type, byte_size, sha256, content, uploaded_by)
            SELECT \(u.familyID), \(u.childID), \(u.kind.rawValue), \(u.fileName), \(u.type.mediaType), \(u.bytes.count), \(u.sha256),
                   \(ByteA(u.bytes)), \(u.uploadedBy)
            WHERE \(u.childID)::bigint IS NULL OR EXISTS (SELECT 1 FROM children WHERE id = \(u.childID) AND family_id = \(u.familyID))
            RETURNING id
            """
        )?.decode("id")
    }

    public func list(_ tx: Session, familyID: Int) throws -> [Document] {
        try tx.query(
            "SELECT \(Self.columns) FROM documents d LEFT JOIN children c ON c.id = d.child_id WHERE d.family_id = \(familyID) ORDER BY d.uploaded_at DESC, d.id DESC"
        ).map(Self.decode)
    }

    /// Documents waiting for a decision, oldest first (the staff's review list).
    public func pending(_ tx: Session, limit: Int = 200) throws -> [Document] {
        try tx.query(
            "SELECT \(Self.columns) FROM documents d LEFT JOIN children c ON c.id = d.child_id WHERE d.status = 'received' ORDER BY d.uploaded_at, d.id LIMIT \(limit)"
        ).map(Self.decode)
    }

    /// The document, if `familyID` is nil (staff) or its owner.
    public func find(_ tx: Session, id: Int, familyID: Int?) throws -> Document? {
        try tx.queryFirst(
            """
            SELECT \(Self.columns) FROM documents d LEFT JOIN children c ON c.id = d.child_id
            WHERE d.id = \(id) AND (\(familyID)::bigint IS NULL OR d.family_id = \(familyID))
            """
        ).map(Self.decode)
    }

    public func content(_ tx: Session, id: Int, familyID: Int?) throws -> (Document, [UInt8])? {
        guard let document = try find(tx, id: id, familyID: familyID) else { return nil }
        let bytes: ByteA = try tx.queryOne("SELECT content FROM documents WHERE id = \(id)").decode("content")
        return (document, bytes.bytes)
    }

    /// Accepts or refuses a document (a refusal needs its reason). Nil when there is no such
    /// document.
    public func decide(_ tx: Session, id: Int, accept: Bool, reason: String?, by accountID: Int) throws -> Document? {
        let status = accept ? DocumentStatus.accepted : .refused
        guard
            try tx.queryFirst(
                """
                UPDATE documents SET status = \(status.rawValue), refusal_reason = \(accept ? nil : reason), decided_by = \(accountID), decided_at = now()
                WHERE id = \(id) RETURNING id
                """) != nil
        else { return nil }
        return try find(tx, id: id, familyID: nil)
    }

    static func decode(_ row: Row) throws -> Document {
        Document(
            id: try row.decode("id"), familyID: try row.decode("family_id"), childID: try row.decode("child_id"),
            childName: try row.decode("child_name"), kind: DocumentKind(rawValue: try row.decode("kind")) ?? .other,
            fileName: try row.decode("file_name"), type: FileType(mediaType: try row.decode("content_type")) ?? .pdf,
            byteSize: try row.decode("byte_size"), sha256: try row.decode("sha256"),
            status: DocumentStatus(rawValue: try row.decode("status")) ?? .received,
            refusalReason: try row.decode("refusal_reason"),
            uploadedAt: try row.decode("uploaded_at"), decidedAt: try row.decode("decided_at"))
    }
}
