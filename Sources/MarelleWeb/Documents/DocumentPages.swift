import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// "Transmettre des documents" for parents, the review list for staff, and downloads for
/// both: a parent gets their family's documents only, staff any of the association's, each
/// staff download audited.
struct DocumentPages {
    let useCases: UseCases
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let service: DocumentService

    func register(on router: Router<AppRequestContext>) {
        router.get("/documents") { request, context in try await page(request, context) }
        router.post("/documents") { request, context in try await upload(request, context) }
        router.get("/documents/:id") { request, context in try await download(request, context) }
        router.get("/gestion/documents") { request, context in try await review(request, context) }
        router.post("/gestion/documents/:id/decision") { request, context in try await decide(request, context) }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, problems: [FieldProblem] = [], fields: [String: String] = [:],
        notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let account = try context.requireAccount(request)
        guard let familyID = account.familyID else {
            return Response(status: .seeOther, headers: [.location: "/gestion/documents"])
        }
        let (sent, children) = try await service.listWithChildren(tenant: tenant, familyID: familyID)
        let sentNotice =
            request.uri.queryParameters.get("envoye") != nil
            ? tr("DocumentPages.votre_document_a_bien_ete") : nil
        let model = FamilyPage(
            layout: LayoutModel(tenant: tenant, title: tr("DocumentPages.transmettre_des_documents"), context: context),
            documents: sent.map(Row.init),
            kinds: DocumentKind.uploadable.map {
                .init(value: $0.rawValue, label: $0.label, selected: fields["kind"] == $0.rawValue)
            },
            children: children.map {
                .init(id: $0.id, name: "\($0.draft.firstName) \($0.draft.lastName)", selected: fields["childId"] == String($0.id))
            },
            errors: FormErrors(problems), notice: sentNotice ?? notice)
        return try HTML(status: status, body: renderer.render("documents", model), personal: true).response(
            from: request, context: context)
    }

    func upload(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let account = try context.requireAccount(request)
        guard let familyID = account.familyID else { throw HTTPError(.forbidden) }
        let upload: MultipartUpload
        do {
            upload = try await MultipartUpload.read(request, fileField: "document")
        } catch MultipartUpload.Failure.tooLarge {
            var response = try await page(
                request, context,
                problems: [
                    .init(
                        field: "document",
                        message: tr("DocumentPages.ce_fichier_depasse_10_mo"))
                ],
                status: .contentTooLarge)
            // The rest of the body is not read: ask the browser to stop sending it.
            response.headers[.connection] = "close"
            return response
        } catch MultipartUpload.Failure.notMultipart, MultipartUpload.Failure.malformed {
            return try await page(
                request, context,
                problems: [.init(field: "document", message: tr("DocumentPages.le_fichier_n_a_pas"))],
                status: .badRequest)
        }
        try csrf.verify(sent: upload.fields["_csrf"], request, context)
        switch try await service.store(
            tenant: tenant, actor: account, familyID: familyID, upload: upload.document, ip: context.remoteIP)
        {
        case .stored: return Response(status: .seeOther, headers: [.location: "/documents?envoye=1"])
        case .notFound: throw HTTPError(.notFound)
        case .invalid(let problems):
            return try await page(request, context, problems: problems, fields: upload.fields, status: .unprocessableContent)
        }
    }

    func download(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let account = try context.requireAccount(request)
        guard let id = context.parameters.get("id", as: Int.self) else { throw HTTPError(.notFound) }
        guard let (document, bytes) = try await service.download(tenant: tenant, account: account, id: id, ip: context.remoteIP)
        else {
            throw HTTPError(.notFound)
        }
        return DocumentDownload.response(document, bytes)
    }

    func review(_ request: Request, _ context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request)
        let pending = try await service.pending(tenant: tenant)
        let model = ReviewPage(
            layout: LayoutModel(tenant: tenant, title: tr("DocumentPages.documents_a_verifier"), context: context),
            documents: pending.map(Row.init),
            canWrite: staff.role.mayManage(writing: true), error: error,
            notice: request.uri.queryParameters.get("fait") != nil ? tr("DocumentPages.decision_enregistree") : nil)
        return try HTML(status: status, body: renderer.render("staff_documents", model), personal: true).response(
            from: request, context: context)
    }

    func decide(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try StaffPost.id(context)
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        guard ["accept", "refuse"].contains(form.text("decision")) else {
            return try await review(
                request, context, error: tr("DocumentPages.choisissez_d_accepter_ou_de"), status: .unprocessableContent)
        }
        switch try await service.decide(
            tenant: tenant, staff: staff, id: id, accept: form.text("decision") == "accept", reason: form.text("reason"),
            ip: context.remoteIP)
        {
        case .decided:
            let back = form.text("back")
            return Response(
                status: .seeOther, headers: [.location: back.hasPrefix("/gestion/") ? back : "/gestion/documents?fait=1"])
        case .missingReason:
            return try await review(
                request, context, error: tr("common.indiquez_le_motif_du_refus"), status: .unprocessableContent
            )
        case .notFound: throw HTTPError(.notFound)
        }
    }

    /// "Transmettre des documents" (`documents.mustache`): what was sent, and the form.
    struct FamilyPage {
        let layout: LayoutModel
        let documents: [Row]
        let kinds: [Kind]
        let children: [Choice]
        let errors: FormErrors
        let notice: String?

        struct Kind {
            let value: String
            let label: String
            let selected: Bool
        }

    }

    /// "Documents à vérifier" (`staff_documents.mustache`).
    struct ReviewPage {
        let layout: LayoutModel
        let documents: [Row]
        let canWrite: Bool
        let error: String?
        let notice: String?
    }

    /// One document in either list; the staff's family page shows the same rows.
    struct Row {
        let id: Int
        let familyId: Int
        let name: String
        let kind: String
        /// The child it concerns, nil for the whole family.
        let child: String?
        let size: String
        let sentAt: String
        let status: String
        let received: Bool
        let accepted: Bool
        let refused: Bool
        let reason: String?

        init(_ d: DocumentStore.Document) {
            (id, familyId, name, kind) = (d.id, d.familyID, d.fileName, d.kind.label)
            child = shown(d.childName)
            (size, sentAt, status) = (DocumentPages.size(d.byteSize), ParisTime.format(d.uploadedAt), d.status.label)
            (received, accepted, refused) = (d.status == .received, d.status == .accepted, d.status == .refused)
            reason = shown(d.refusalReason)
        }
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024 * 1024
            ? "\(max(1, bytes / 1024)) Ko"
            : String(format: "%.1f Mo", Double(bytes) / 1_048_576).replacingOccurrences(of: ".", with: ",")
    }
}
