import Foundation
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Receiving and deciding on documents, for the pages and the API alike.
public struct DocumentService: Sendable {
    public let database: Database
    public let mail: MailComposer
    public let documents = DocumentStore()
    public let outbox = OutboxStore()
    public let audit = AuditLog()

    /// A family's documents, newest first.
    public func list(tenant: Tenant, familyID: Int) async throws -> [DocumentStore.Document] {
        let documents = documents
        return try await database.withTenant(try tenant.scope()) { tx in try documents.list(tx, familyID: familyID) }
    }

    /// A family's documents and its children (the upload form names the child concerned).
    public func listWithChildren(tenant: Tenant, familyID: Int) async throws -> (
        documents: [DocumentStore.Document], children: [FamilyFileStore.Child]
    ) {
        let documents = documents
        return try await database.withTenant(try tenant.scope()) { tx in
            (try documents.list(tx, familyID: familyID), try FamilyFileStore().children(tx, familyID: familyID))
        }
    }

    /// The documents the staff have still to accept or refuse.
    public func pending(tenant: Tenant) async throws -> [DocumentStore.Document] {
        let documents = documents
        return try await database.withTenant(try tenant.scope()) { tx in try documents.pending(tx) }
    }

    /// One document of a family (of any family when `familyID` is nil).
    public func find(tenant: Tenant, id: Int, familyID: Int?) async throws -> DocumentStore.Document? {
        let documents = documents
        return try await database.withTenant(try tenant.scope()) { tx in try documents.find(tx, id: id, familyID: familyID) }
    }

    public enum Outcome: Sendable {
        case stored(id: Int)
        case invalid([FieldProblem])
        /// The child named is not one of the family's.
        case notFound
    }

    /// Checks and stores an upload for `familyID`: a file that is not empty and whose first
    /// bytes are those of a pdf, png, gif or jpg, a known kind, and a child of that family.
    public func store(
        tenant: Tenant, actor: Account, familyID: Int, upload: DocumentUpload, ip: String?,
        allowedKinds: [DocumentKind] = DocumentKind.uploadable
    ) async throws -> Outcome {
        var problems: [FieldProblem] = []
        let kind = DocumentKind(rawValue: upload.fields["kind"] ?? "")
        if kind == nil || !allowedKinds.contains(kind!) {
            problems.append(.init(field: "kind", message: tr("DocumentService.choisissez_le_type_de_document")))
        }
        let childText = (upload.fields["childId"] ?? "").trimmingCharacters(in: .whitespaces)
        let childID = Int(childText)
        if !childText.isEmpty && childID == nil { return .notFound }
        let type = FileType(sniffing: upload.fileBytes)
        if upload.fileName == nil || (upload.fileName ?? "").isEmpty && upload.fileBytes.isEmpty {
            problems.append(.init(field: "document", message: tr("DocumentService.choisissez_un_fichier_avec_parcourir")))
        } else if upload.fileBytes.isEmpty {
            problems.append(.init(field: "document", message: tr("DocumentService.ce_fichier_est_vide")))
        } else if type == nil {
            problems.append(
                .init(
                    field: "document",
                    message: tr("DocumentService.ce_fichier_n_est_ni")))
        }
        guard problems.isEmpty, let kind, let type else { return .invalid(problems) }
        let name = FileName.sanitized(upload.fileName ?? "", type: type)
        let digest = SecureToken.digest(bytes: upload.fileBytes)
        return try await database.withTenant(try tenant.scope()) { tx in
            guard
                let id = try documents.insert(
                    tx,
                    .init(
                        familyID: familyID, childID: childID, kind: kind, fileName: name, type: type, bytes: upload.fileBytes,
                        sha256: digest,
                        uploadedBy: actor.id))
            else { return .notFound }
            try audit.record(
                tx, actor: .account(actor), action: "document.upload", subject: "document:\(id)", ip: ip,
                detail: [
                    "family": String(familyID), "kind": kind.rawValue, "type": type.rawValue,
                    "bytes": String(upload.fileBytes.count),
                ])
            return .stored(id: id)
        }
    }

    public enum Decision: Sendable {
        case decided(DocumentStore.Document)
        case missingReason
        case notFound
    }

    /// Accepts or refuses a document; a refusal needs a reason and mails the family's
    /// parents, in the same transaction.
    public func decide(tenant: Tenant, staff: Account, id: Int, accept: Bool, reason: String, ip: String?) async throws
        -> Decision
    {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if !accept && reason.isEmpty { return .missingReason }
        return try await database.withTenant(try tenant.scope()) { tx in
            guard
                let document = try documents.decide(tx, id: id, accept: accept, reason: String(reason.prefix(1000)), by: staff.id)
            else {
                return .notFound
            }
            try audit.record(
                tx, actor: .account(staff), action: accept ? "document.accept" : "document.refuse",
                subject: "document:\(id)", ip: ip, detail: ["family": String(document.familyID)])
            if !accept {
                for parent in try AccountStore().list(tx, familyID: document.familyID) where !parent.isDisabled {
                    let message = mail.speaking(to: parent) { mail.documentRefused(tenant, document: document, reason: reason) }
                    try outbox.enqueue(tx, kind: message.kind, to: parent.email, subject: message.subject, body: message.body)
                }
            }
            return .decided(document)
        }
    }

    /// A document with its bytes, if `account` may read it: its family, or any staff member
    /// (whose every download is audited).
    public func download(tenant: Tenant, account: Account, id: Int, ip: String?) async throws -> (
        DocumentStore.Document, [UInt8]
    )? {
        let scope: Int? = account.role.isStaff ? nil : (account.familyID ?? -1)
        return try await database.withTenant(try tenant.scope()) { tx in
            let found = try documents.content(tx, id: id, familyID: scope)
            if let found, account.role.isStaff {
                try audit.record(
                    tx, actor: .account(account), action: "document.download", subject: "document:\(id)", ip: ip,
                    detail: ["family": String(found.0.familyID)])
            }
            return found
        }
    }

    public init(database: Database, mail: MailComposer) {
        self.database = database
        self.mail = mail
    }
}

/// A document as the parent sent it: the form's fields, the file's name as given, its bytes.
public struct DocumentUpload: Sendable {
    public var fields: [String: String]
    public var fileName: String?
    public var fileBytes: [UInt8]

    public init(fields: [String: String], fileName: String?, fileBytes: [UInt8]) {
        self.fields = fields
        self.fileName = fileName
        self.fileBytes = fileBytes
    }
}
