import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// Documents over `/api/v1`: a parent sends (multipart, field `document`, with `kind` and
/// optionally `childId`) and lists theirs; staff list what waits for review, read a
/// family's, and accept or refuse; both download what they may see.
struct DocumentAPIController {
    let useCases: UseCases
    let service: DocumentService

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/family/documents") { _, context in try await list(context) }
        api.get("/families/:family/documents") { _, context in try await list(context) }
        api.post("/family/documents") { request, context in try await upload(request, context) }
        api.get("/documents") { _, context in try await pending(context) }
        api.get("/documents/:id/content") { _, context in try await content(context) }
        api.post("/documents/:id/decision") { request, context in try await decide(request, context) }
    }

    func list(_ context: AppRequestContext) async throws -> JSONReply<[DocumentBody]> {
        let (_, familyID) = try context.requireAPIFamily(writing: false)
        let found = try await service.list(tenant: try context.requireTenant(), familyID: familyID)
        return JSONReply(found.map(DocumentBody.init))
    }

    func pending(_ context: AppRequestContext) async throws -> JSONReply<[DocumentBody]> {
        let account = try context.requireAPIAccount()
        guard account.role.isStaff else {
            throw Problem(
                status: .forbidden, title: tr("common.acces_refuse"),
                detail: tr("DocumentAPIController.la_liste_des_documents_a"))
        }
        let found = try await service.pending(tenant: try context.requireTenant())
        return JSONReply(found.map(DocumentBody.init))
    }

    func upload(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<DocumentBody> {
        let (account, familyID) = try context.requireAPIFamily(writing: true)
        let upload: MultipartUpload
        do {
            upload = try await MultipartUpload.read(request, fileField: "document")
        } catch MultipartUpload.Failure.tooLarge {
            throw Problem(
                status: .contentTooLarge, title: tr("DocumentAPIController.fichier_trop_volumineux"),
                detail: tr("DocumentAPIController.le_fichier_depasse_10_mo"),
                extraHeaders: [.connection: "close"])
        } catch MultipartUpload.Failure.notMultipart {
            throw Problem(
                status: .unsupportedMediaType, title: tr("DocumentAPIController.format_de_requete"),
                detail: tr("DocumentAPIController.envoyez_le_document_en_multipart"))
        } catch MultipartUpload.Failure.malformed {
            throw Problem.badRequest(tr("DocumentAPIController.le_corps_multipart_est_incomplet"))
        }
        switch try await service.store(
            tenant: try context.requireTenant(), actor: account, familyID: familyID, upload: upload.document, ip: context.remoteIP
        ) {
        case .notFound: throw Problem.notFound
        case .invalid(let problems): throw Problem.invalid(problems)
        case .stored(let id):
            guard let stored = try await service.find(tenant: try context.requireTenant(), id: id, familyID: familyID) else {
                throw Problem.notFound
            }
            return JSONReply(status: .created, DocumentBody(stored))
        }
    }

    func content(_ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAPIAccount()
        guard
            let found = try await service.download(
                tenant: try context.requireTenant(), account: account, id: try context.requirePathID(), ip: context.remoteIP)
        else { throw Problem.notFound }
        return DocumentDownload.response(found.0, found.1)
    }

    struct DecisionInput: Decodable {
        let accept: Bool
        let reason: String?
    }

    func decide(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<DocumentBody> {
        let staff = try context.requireAPIStaff(writing: true)
        let input = try await JSONBody.decode(request, as: DecisionInput.self)
        switch try await service.decide(
            tenant: try context.requireTenant(), staff: staff, id: try context.requirePathID(),
            accept: input.accept, reason: input.reason ?? "", ip: context.remoteIP)
        {
        case .decided(let document): return JSONReply(DocumentBody(document))
        case .missingReason:
            throw Problem.invalid([.init(field: "reason", message: tr("common.indiquez_le_motif_du_refus"))])
        case .notFound: throw Problem.notFound
        }
    }
}
