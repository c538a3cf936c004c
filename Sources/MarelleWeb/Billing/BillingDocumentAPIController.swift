import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// The billing PDFs in the API (`application/pdf`): `GET /invoices/{id}/pdf`, `GET
/// /payments/{id}/receipt`, `GET /tax-certificates?year=` and `GET
/// /attendance-certificates?child=&from=&to=`. A parent's token reaches their own family's
/// only (another family's id: 404); the direction's reaches every family, and the tax
/// certificates of all of them at once without `family`.
struct BillingDocumentAPIController {
    let documents: BillingDocuments

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/invoices/{id}/pdf") { _, context in
            let (tenant, familyID) = try caller(context)
            guard let document = try await documents.invoice(tenant: tenant, id: try context.requirePathID(), familyID: familyID)
            else { throw Problem.notFound }
            return FileDownload.pdf(
                try InvoicePDF.render(document, today: BillingPages.today), fileName: document.invoice.number
            ).response
        }
        api.get("/payments/{id}/receipt") { _, context in
            let (tenant, familyID) = try caller(context)
            guard
                let receipt = try await documents.receipt(
                    tenant: tenant, paymentID: try context.requirePathID(), familyID: familyID)
            else { throw Problem.notFound }
            return FileDownload.pdf(try ReceiptPDF.render(receipt), fileName: receipt.payment.receiptNumber).response
        }
        api.get("/tax-certificates") { request, context in
            let (tenant, parentFamily) = try caller(context)
            let query = request.uri.queryParameters
            var familyID = parentFamily
            if parentFamily == nil, let text = query.get("family") {
                guard let id = Int(text) else {
                    throw Problem.invalid([FieldProblem(field: "family", message: tr("BillingDocuments.family_invalid"))])
                }
                familyID = id
            }
            let today = BillingPages.today
            let year = try await BillingAPIController.mapping {
                try BillingDocuments.year(query.get("year"), field: "year", today: today)
            }
            let certificates = try await documents.taxCertificates(tenant: tenant, year: year, familyID: familyID)
            return FileDownload.pdf(
                try TaxCertificatePDF.render(certificates, today: today), fileName: "attestation-fiscale-\(year)"
            ).response
        }
        api.get("/attendance-certificates") { request, context in
            let (tenant, familyID) = try caller(context)
            let query = request.uri.queryParameters
            guard let childID = query.get("child").flatMap({ Int($0) }) else {
                throw Problem.invalid([FieldProblem(field: "child", message: tr("BillingDocuments.child_unknown"))])
            }
            let today = BillingPages.today
            let certificate = try await BillingAPIController.mapping {
                try await documents.attendance(
                    tenant: tenant, childID: childID, familyID: familyID, from: query.get("from"), to: query.get("to"),
                    today: today)
            }
            return FileDownload.pdf(
                try AttendanceCertificatePDF.render(certificate, today: today),
                fileName: "attestation-presence-\(certificate.from.iso)-\(certificate.to.iso)"
            ).response
        }
    }

    /// The tenant, and the family a parent's token is bound to (nil for the direction).
    private func caller(_ context: AppRequestContext) throws -> (Tenant, Int?) {
        let tenant = try context.requireTenant()
        let account = try context.requireAPIAccount()
        if let familyID = account.familyID { return (tenant, familyID) }
        _ = try context.requireAPIStaff(writing: true)
        return (tenant, nil)
    }
}
