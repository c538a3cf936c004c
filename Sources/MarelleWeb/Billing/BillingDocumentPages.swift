import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// The billing PDFs from the pages: an invoice or credit note, a receipt, the tax certificate
/// of a year and the attendance certificate of a child. Parents get their own family's under
/// `/mes-factures/…` (another family's id is a 404), the direction any family's under
/// `/gestion/…`, and every family's tax certificates of a year in one file for January.
struct BillingDocumentPages {
    let documents: BillingDocuments
    let pages: BillingPages

    func register(on router: Router<AppRequestContext>) {
        router.get("/mes-factures/{id}/pdf") { request, context in try await invoice(request, context, staff: false) }
        router.get("/gestion/factures/{id}/pdf") { request, context in try await invoice(request, context, staff: true) }
        router.get("/mes-factures/recus/{id}") { request, context in try await receipt(request, context, staff: false) }
        router.get("/gestion/recus/{id}") { request, context in try await receipt(request, context, staff: true) }
        router.get("/mes-factures/attestation-fiscale") { request, context in try await tax(request, context, staff: false) }
        router.get("/gestion/familles/:family/attestation-fiscale") { request, context in
            try await tax(request, context, staff: true)
        }
        router.get("/gestion/facturation/attestations-fiscales") { request, context in
            let tenant = try context.requireTenant()
            _ = try context.requireStaff(request, writing: true)
            let today = BillingPages.today
            // A wrong year here has no form to go back to: last year's, as January wants.
            let year =
                (try? BillingDocuments.year(request.uri.queryParameters.get("annee"), field: "annee", today: today))
                ?? today.year - 1
            return try await taxFile(tenant: tenant, year: year, familyID: nil, today: today)
        }
        router.get("/mes-factures/releve.csv") { request, context in try await ledger(request, context, staff: false) }
        router.get("/gestion/familles/:family/releve.csv") { request, context in
            try await ledger(request, context, staff: true)
        }
        router.get("/mes-factures/attestation-presence") { request, context in
            try await attendance(request, context, staff: false)
        }
        router.get("/gestion/familles/:family/attestation-presence") { request, context in
            try await attendance(request, context, staff: true)
        }
    }

    /// The caller's tenant and, for a parent, their family (what every lookup is scoped by).
    private func caller(_ request: Request, _ context: AppRequestContext, staff: Bool) throws -> (Tenant, Int?) {
        if staff {
            _ = try context.requireStaff(request, writing: true)
            return (try context.requireTenant(), nil)
        }
        let (tenant, _, familyID) = try context.requireParent(request)
        return (tenant, familyID)
    }

    func invoice(_ request: Request, _ context: AppRequestContext, staff: Bool) async throws -> Response {
        let (tenant, familyID) = try caller(request, context, staff: staff)
        guard let document = try await documents.invoice(tenant: tenant, id: try StaffPost.id(context), familyID: familyID)
        else { throw HTTPError(.notFound) }
        return FileDownload.pdf(
            try InvoicePDF.render(document, today: BillingPages.today), fileName: document.invoice.number
        ).response
    }

    func receipt(_ request: Request, _ context: AppRequestContext, staff: Bool) async throws -> Response {
        let (tenant, familyID) = try caller(request, context, staff: staff)
        guard let receipt = try await documents.receipt(tenant: tenant, paymentID: try StaffPost.id(context), familyID: familyID)
        else { throw HTTPError(.notFound) }
        return FileDownload.pdf(try ReceiptPDF.render(receipt), fileName: receipt.payment.receiptNumber).response
    }

    func ledger(_ request: Request, _ context: AppRequestContext, staff: Bool) async throws -> Response {
        let (tenant, parentFamily) = try caller(request, context, staff: staff)
        let familyID = try parentFamily ?? StaffPost.id(context, "family")
        guard let account = try await pages.billing.account(tenant: tenant, familyID: familyID) else {
            throw HTTPError(.notFound)
        }
        return FileDownload.csv(LedgerTable.csv(account.ledger), fileName: "releve-\(familyID)").response
    }

    func tax(_ request: Request, _ context: AppRequestContext, staff: Bool) async throws -> Response {
        let (tenant, parentFamily) = try caller(request, context, staff: staff)
        let familyID = try parentFamily ?? StaffPost.id(context, "family")
        let today = BillingPages.today
        let year: Int
        do {
            year = try BillingDocuments.year(request.uri.queryParameters.get("annee"), field: "annee", today: today)
        } catch BillingDocuments.Failure.invalid(let problems) {
            return try await back(request, context, staff: staff, problems: problems)
        }
        return try await taxFile(tenant: tenant, year: year, familyID: familyID, today: today)
    }

    private func taxFile(tenant: Tenant, year: Int, familyID: Int?, today: LocalDate) async throws -> Response {
        let certificates = try await documents.taxCertificates(tenant: tenant, year: year, familyID: familyID)
        let pdf = try TaxCertificatePDF.render(certificates, today: today)
        return FileDownload.pdf(pdf, fileName: familyID == nil ? "attestations-fiscales-\(year)" : "attestation-fiscale-\(year)")
            .response
    }

    func attendance(_ request: Request, _ context: AppRequestContext, staff: Bool) async throws -> Response {
        let (tenant, parentFamily) = try caller(request, context, staff: staff)
        let familyID = try parentFamily ?? StaffPost.id(context, "family")
        let query = request.uri.queryParameters
        guard let childID = query.get("enfant").flatMap({ Int($0) }) else {
            return try await back(
                request, context, staff: staff,
                problems: [FieldProblem(field: "enfant", message: tr("BillingDocuments.child_unknown"))])
        }
        do {
            let certificate = try await documents.attendance(
                tenant: tenant, childID: childID, familyID: familyID, from: query.get("du"), to: query.get("au"),
                today: BillingPages.today)
            return FileDownload.pdf(
                try AttendanceCertificatePDF.render(certificate, today: BillingPages.today),
                fileName: "attestation-presence-\(certificate.from.iso)-\(certificate.to.iso)"
            ).response
        } catch BillingDocuments.Failure.invalid(let problems) {
            let renamed = problems.map { FieldProblem(field: $0.field == "from" ? "du" : "au", message: $0.message) }
            return try await back(request, context, staff: staff, problems: renamed)
        } catch BillingDocuments.Failure.notFound {
            return try await back(
                request, context, staff: staff,
                problems: [FieldProblem(field: "enfant", message: tr("BillingDocuments.child_unknown"))])
        }
    }

    /// The account page again, the certificate form's problems under its fields.
    private func back(_ request: Request, _ context: AppRequestContext, staff: Bool, problems: [FieldProblem]) async throws
        -> Response
    {
        var fields: [String: String] = [:]
        for name in ["annee", "enfant", "du", "au"] { fields[name] = request.uri.queryParameters.get(name) }
        return staff
            ? try await pages.familyAccount(request, context, fields: fields, problems: problems, status: .unprocessableContent)
            : try await pages.myInvoices(request, context, fields: fields, problems: problems, status: .unprocessableContent)
    }
}
