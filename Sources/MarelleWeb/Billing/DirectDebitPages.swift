import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleSEPA
import MarelleStore

/// The direction's direct debits (`/gestion/prelevements`): the creditor details, the
/// batches, each batch's lines, its pain.008 file (checked before it is given: a refused
/// file shows its reasons), and the bank's rejects, by hand or from a camt.054 notice.
struct DirectDebitPages {
    let debits: DirectDebits
    let renderer: PageRenderer
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion/prelevements") { request, context in try await overview(request, context) }
        router.post("/gestion/prelevements") { request, context in try await saveCreditor(request, context) }
        router.post("/gestion/prelevements/lots") { request, context in try await prepare(request, context) }
        router.post("/gestion/prelevements/retours") { request, context in try await importReturns(request, context) }
        router.get("/gestion/prelevements/lots/{id}") { request, context in try await batch(request, context) }
        router.post("/gestion/prelevements/lots/{id}/fichier") { request, context in try await file(request, context) }
        router.post("/gestion/prelevements/lots/{id}/supprimer") { request, context in try await delete(request, context) }
        router.post("/gestion/prelevements/lots/{id}/lignes/{line}/retirer") { request, context in
            try await removeLine(request, context)
        }
        router.post("/gestion/prelevements/lots/{id}/lignes/{line}/rejet") { request, context in
            try await reject(request, context)
        }
    }

    func overview(
        _ request: Request, _ context: AppRequestContext, problems: [FieldProblem] = [], fields: [String: String] = [:],
        report: DirectDebits.ImportReport? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        let creditor = try await debits.creditor(tenant: tenant)
        let batches = try await debits.batches(tenant: tenant)
        let query = request.uri.queryParameters
        let notice: String? =
            if query.get("fait") != nil { tr("DirectDebitPages.saved") } else if query.get("supprime") != nil {
                tr("DirectDebitPages.deleted")
            } else { nil }
        let model = DirectDebitOverviewPage(
            layout: LayoutModel(tenant: tenant, title: tr("DirectDebitPages.title"), context: context), creditor: creditor,
            batches: batches, problems: problems, fields: fields, report: report, notice: notice,
            suggestedDate: Self.today.adding(days: 7).iso)
        return try HTML(status: status, body: renderer.render("staff_direct_debit", model), personal: true).response(
            from: request, context: context)
    }

    static var today: LocalDate { ParisClock.date(of: Date()) }

    func saveCreditor(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        do {
            try await debits.configure(
                tenant: tenant, staff: staff, name: form.text("creditorName"), iban: form.text("iban"), bic: form.text("bic"),
                identifier: form.text("identifier"), enabled: form.isChecked("enabled"), ip: context.remoteIP)
        } catch DirectDebits.Failure.invalid(let problems) {
            return try await overview(
                request, context, problems: problems,
                fields: [
                    "creditorName": form.text("creditorName"), "iban": form.text("iban"), "bic": form.text("bic"),
                    "identifier": form.text("identifier"),
                ], status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/prelevements?fait=1"])
    }

    func prepare(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let problem: FieldProblem
        do {
            let id = try await debits.prepare(
                tenant: tenant, staff: staff, collectionDate: form.text("collectionDate"), ip: context.remoteIP)
            return Response(status: .seeOther, headers: [.location: "/gestion/prelevements/lots/\(id)"])
        } catch DirectDebits.Failure.invalid(let problems) {
            problem = problems.first ?? FieldProblem(field: "collectionDate", message: "")
        } catch DirectDebits.Failure.nothingToCollect {
            problem = FieldProblem(field: "collectionDate", message: tr("DirectDebitPages.nothing_to_collect"))
        } catch DirectDebits.Failure.unavailable {
            problem = FieldProblem(field: "collectionDate", message: tr("DirectDebitPages.unavailable"))
        }
        return try await overview(
            request, context, problems: [problem], fields: ["collectionDate": form.text("collectionDate")],
            status: .unprocessableContent)
    }

    func importReturns(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request, writing: true)
        let upload: MultipartUpload
        do {
            upload = try await MultipartUpload.read(request, fileField: "avis", maximumFileBytes: 5 * 1024 * 1024)
        } catch {
            return try await overview(
                request, context, problems: [FieldProblem(field: "file", message: tr("DirectDebitPages.notice_missing"))],
                status: .badRequest)
        }
        try csrf.verify(sent: upload.fields["_csrf"], request, context)
        do {
            let report = try await debits.importReturns(
                tenant: tenant, staff: staff, notice: upload.fileBytes, ip: context.remoteIP)
            return try await overview(request, context, report: report)
        } catch DirectDebits.Failure.invalid(let problems) {
            return try await overview(request, context, problems: problems, status: .unprocessableContent)
        }
    }

    func batch(
        _ request: Request, _ context: AppRequestContext, refused: [String] = [], problems: [FieldProblem] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        guard let (batch, lines) = try await debits.batch(tenant: tenant, id: try StaffPost.id(context)) else {
            throw HTTPError(.notFound)
        }
        let model = DebitBatchPage(
            layout: LayoutModel(
                tenant: tenant, title: tr("DirectDebitPages.title_batch", batch.collectionDate.french), context: context),
            batch: batch, lines: lines, refused: refused, problems: problems, today: Self.today.iso)
        return try HTML(status: status, body: renderer.render("staff_debit_batch", model), personal: true).response(
            from: request, context: context)
    }

    func file(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let version = DirectDebitFile.Version(rawValue: form.text("version")) ?? .v08
        do {
            let file = try await debits.file(
                tenant: tenant, staff: staff, batchID: try StaffPost.id(context), version: version, ip: context.remoteIP)
            return FileDownload(bytes: ByteBuffer(string: file.xml), contentType: "application/xml", fileName: file.name)
                .response
        } catch DirectDebits.Failure.fileRefused(let reasons) {
            return try await batch(request, context, refused: reasons, status: .unprocessableContent)
        } catch DirectDebits.Failure.nothingToCollect {
            return try await batch(
                request, context, refused: [tr("DirectDebitPages.nothing_left")], status: .unprocessableContent)
        } catch DirectDebits.Failure.unavailable {
            return try await batch(request, context, refused: [tr("DirectDebitPages.unavailable")], status: .unprocessableContent)
        }
    }

    /// Runs a change whose only refusal is "not found" (another batch's line, a batch already
    /// sent, another family's mandate), then sends the browser to `location`.
    static func changing(_ location: String, _ change: () async throws -> Void) async throws -> Response {
        do { try await change() } catch DirectDebits.Failure.notFound { throw HTTPError(.notFound) }
        return Response(status: .seeOther, headers: [.location: location])
    }

    func delete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, _) = try await StaffPost.read(request, context, csrf: csrf).parts
        let id = try StaffPost.id(context)
        return try await Self.changing("/gestion/prelevements?supprime=1") {
            try await debits.delete(tenant: tenant, staff: staff, batchID: id, ip: context.remoteIP)
        }
    }

    func removeLine(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, _) = try await StaffPost.read(request, context, csrf: csrf).parts
        let (id, line) = (try StaffPost.id(context), try StaffPost.id(context, "line"))
        return try await Self.changing("/gestion/prelevements/lots/\(id)") {
            try await debits.removeLine(tenant: tenant, staff: staff, batchID: id, lineID: line, ip: context.remoteIP)
        }
    }

    func reject(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let id = try StaffPost.id(context)
        do {
            try await debits.reject(
                tenant: tenant, staff: staff, batchID: id, lineID: try StaffPost.id(context, "line"), code: form.text("reason"),
                on: form.text("on"), ip: context.remoteIP)
        } catch DirectDebits.Failure.notFound {
            throw HTTPError(.notFound)
        } catch DirectDebits.Failure.invalid(let problems) {
            return try await batch(request, context, problems: problems, status: .unprocessableContent)
        } catch DirectDebits.Failure.wrongState {
            return try await batch(
                request, context, problems: [FieldProblem(field: "reason", message: tr("DirectDebitPages.not_collected"))],
                status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/prelevements/lots/\(id)"])
    }
}
