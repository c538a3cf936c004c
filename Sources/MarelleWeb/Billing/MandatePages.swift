import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// Mandates from the pages: a parent signs one online or revokes it (`/mes-prelevements`);
/// the direction enters a paper one or revokes one (`/gestion/familles/{family}/mandats`).
/// Another family's mandate id is "not found".
struct MandatePages {
    let debits: DirectDebits
    let billing: Billing
    let renderer: PageRenderer
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/mes-prelevements") { request, context in try await parentPage(request, context) }
        router.post("/mes-prelevements") { request, context in try await sign(request, context) }
        router.post("/mes-prelevements/{id}/revoquer") { request, context in try await parentRevoke(request, context) }
        router.get("/gestion/familles/:family/mandats") { request, context in try await staffPage(request, context) }
        router.post("/gestion/familles/:family/mandats") { request, context in try await enterPaper(request, context) }
        router.post("/gestion/familles/:family/mandats/{id}/revoquer") { request, context in
            try await staffRevoke(request, context)
        }
    }

    static func notice(_ request: Request) -> String? {
        switch request.uri.queryParameters.get("fait") {
        case "signe": tr("MandatePages.signed")
        case "saisi": tr("MandatePages.entered")
        case "revoque": tr("MandatePages.revoked")
        default: nil
        }
    }

    func render(
        _ request: Request, _ context: AppRequestContext, tenant: Tenant, staff: Bool, familyID: Int, familyName: String,
        problems: [FieldProblem], fields: [String: String], status: HTTPResponse.Status
    ) async throws -> Response {
        let model = MandatesPage(
            layout: LayoutModel(tenant: tenant, title: tr("MandatePages.title"), context: context), staff: staff,
            familyID: familyID, familyName: familyName, mandates: try await debits.mandates(tenant: tenant, familyID: familyID),
            creditor: try await debits.creditor(tenant: tenant), problems: problems, fields: fields,
            notice: Self.notice(request), today: ParisClock.date(of: Date()).iso)
        return try HTML(status: status, body: renderer.render("mandates", model), personal: true).response(
            from: request, context: context)
    }

    func parentPage(
        _ request: Request, _ context: AppRequestContext, problems: [FieldProblem] = [], fields: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        return try await render(
            request, context, tenant: tenant, staff: false, familyID: familyID, familyName: "", problems: problems,
            fields: fields, status: status)
    }

    func sign(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, parent, familyID) = try context.requireParent(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        do {
            _ = try await debits.sign(
                tenant: tenant, parent: parent, familyID: familyID, debtorName: form.text("debtorName"),
                iban: form.text("iban"), bic: form.text("bic"), agreed: form.isChecked("agree"), ip: context.remoteIP)
        } catch DirectDebits.Failure.invalid(let problems) {
            return try await parentPage(
                request, context, problems: problems, fields: Self.fields(form), status: .unprocessableContent)
        } catch DirectDebits.Failure.unavailable {
            return try await parentPage(
                request, context, problems: [FieldProblem(field: "iban", message: tr("MandatePages.unavailable"))],
                fields: Self.fields(form), status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/mes-prelevements?fait=signe"])
    }

    static func fields(_ form: FormData) -> [String: String] {
        [
            "debtorName": form.text("debtorName"), "iban": form.text("iban"), "bic": form.text("bic"),
            "reference": form.text("reference"), "signedOn": form.text("signedOn"),
        ]
    }

    func parentRevoke(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, parent, familyID) = try context.requireParent(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let id = try StaffPost.id(context)
        return try await DirectDebitPages.changing("/mes-prelevements?fait=revoque") {
            try await debits.revoke(tenant: tenant, by: parent, id: id, familyID: familyID, ip: context.remoteIP)
        }
    }

    func staffPage(
        _ request: Request, _ context: AppRequestContext, problems: [FieldProblem] = [], fields: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        let familyID = try StaffPost.id(context, "family")
        guard let account = try await billing.account(tenant: tenant, familyID: familyID) else { throw HTTPError(.notFound) }
        return try await render(
            request, context, tenant: tenant, staff: true, familyID: familyID, familyName: account.familyName,
            problems: problems, fields: fields, status: status)
    }

    func enterPaper(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let familyID = try StaffPost.id(context, "family")
        do {
            _ = try await debits.enterPaper(
                tenant: tenant, staff: staff, familyID: familyID, reference: form.text("reference"),
                debtorName: form.text("debtorName"), iban: form.text("iban"), bic: form.text("bic"),
                signedOn: form.text("signedOn"), ip: context.remoteIP)
        } catch DirectDebits.Failure.invalid(let problems) {
            return try await staffPage(
                request, context, problems: problems, fields: Self.fields(form), status: .unprocessableContent)
        } catch DirectDebits.Failure.unavailable {
            return try await staffPage(
                request, context, problems: [FieldProblem(field: "iban", message: tr("MandatePages.no_creditor"))],
                fields: Self.fields(form), status: .unprocessableContent)
        } catch DirectDebits.Failure.notFound {
            throw HTTPError(.notFound)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/familles/\(familyID)/mandats?fait=saisi"])
    }

    func staffRevoke(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, _) = try await StaffPost.read(request, context, csrf: csrf).parts
        let (familyID, id) = (try StaffPost.id(context, "family"), try StaffPost.id(context))
        return try await DirectDebitPages.changing("/gestion/familles/\(familyID)/mandats?fait=revoque") {
            try await debits.revoke(tenant: tenant, by: staff, id: id, familyID: familyID, ip: context.remoteIP)
        }
    }
}
