import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// Billing in the API. The direction: `GET /invoicing-runs/preview?month=`, `POST
/// /invoicing-runs`, `GET /invoices?month=`, `GET /families/{family}/account`, `POST
/// /families/{family}/payments`, `POST /invoices/{id}/credit-notes`, `GET
/// /families/{family}/ledger.csv`. Parents: `GET /invoices`, `GET /family/account` and `GET
/// /family/ledger.csv` (their own family), `GET /invoices/{id}` (theirs only: 404 else).
struct BillingAPIController {
    let billing: Billing

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/invoicing-runs/preview") { request, context in
            let tenant = try context.requireTenant()
            _ = try context.requireAPIStaff(writing: true)
            let month = try Self.month(request.uri.queryParameters.get("month"))
            return JSONReply(InvoicingPreviewBody(try await billing.preview(tenant: tenant, month: month)))
        }
        api.post("/invoicing-runs") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let body = try await JSONBody.decode(request, as: InvoicingRunInput.self)
            let month = try Self.month(body.month)
            let run = try await billing.issue(tenant: tenant, actor: .account(staff), month: month, ip: context.remoteIP)
            return JSONReply(
                status: run.invoiceCount > 0 ? .created : .ok,
                InvoicingRunBody(
                    month: month.iso, invoiceCount: run.invoiceCount, totalCents: run.totalCents, numbers: run.numbers))
        }
        api.get("/invoices") { request, context in
            let tenant = try context.requireTenant()
            let account = try context.requireAPIAccount()
            if let familyID = account.familyID {
                guard let found = try await billing.account(tenant: tenant, familyID: familyID) else { throw Problem.notFound }
                return JSONReply(found.invoices.map { InvoiceBody($0) })
            }
            _ = try context.requireAPIStaff(writing: true)
            let month = try Self.month(request.uri.queryParameters.get("month"))
            return JSONReply(try await billing.invoices(tenant: tenant, month: month).map { InvoiceBody($0) })
        }
        api.get("/invoices/{id}") { _, context in
            let tenant = try context.requireTenant()
            let account = try context.requireAPIAccount()
            let familyID: Int? = account.familyID
            if familyID == nil { _ = try context.requireAPIStaff(writing: true) }
            guard let found = try await billing.invoice(tenant: tenant, id: try context.requirePathID(), familyID: familyID)
            else { throw Problem.notFound }
            return JSONReply(InvoiceBody(found.invoice, lines: found.lines))
        }
        api.post("/invoices/{id}/credit-notes") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let id = try context.requirePathID()
            let body = try await JSONBody.decode(request, as: CreditNoteInput.self)
            let note = try await Self.mapping {
                try await billing.creditNote(
                    tenant: tenant, staff: staff, invoiceID: id, amount: euros(body.amountCents), reason: body.reason,
                    ip: context.remoteIP)
            }
            guard let found = try await billing.invoice(tenant: tenant, id: note.id, familyID: nil) else {
                throw Problem.notFound
            }
            return JSONReply(status: .created, InvoiceBody(found.invoice, lines: found.lines))
        }
        api.get("/family/account") { _, context in JSONReply(FamilyAccountBody(try await account(context, staff: false))) }
        api.get("/families/{family}/account") { _, context in
            JSONReply(FamilyAccountBody(try await account(context, staff: true)))
        }
        api.get("/family/ledger.csv") { _, context in try await ledger(context, staff: false) }
        api.get("/families/{family}/ledger.csv") { _, context in try await ledger(context, staff: true) }
        api.post("/families/{family}/payments") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let (_, familyID) = try context.requireAPIFamily(writing: true)
            let body = try await JSONBody.decode(request, as: PaymentInput.self)
            let payment = try await Self.mapping {
                try await billing.recordPayment(
                    tenant: tenant, staff: staff, familyID: familyID, draft: body.draft, ip: context.remoteIP)
            }
            return JSONReply(status: .created, PaymentBody(payment))
        }
    }

    /// A family's account: a parent's own, or for the direction the path's `{family}`.
    private func account(_ context: AppRequestContext, staff: Bool) async throws -> Billing.FamilyAccount {
        let tenant = try context.requireTenant()
        if staff { _ = try context.requireAPIStaff(writing: true) }
        let (_, familyID) = try context.requireAPIFamily(writing: staff)
        guard let found = try await billing.account(tenant: tenant, familyID: familyID) else { throw Problem.notFound }
        return found
    }

    /// The statement as CSV, in the exports' format.
    private func ledger(_ context: AppRequestContext, staff: Bool) async throws -> Response {
        let found = try await account(context, staff: staff)
        return FileDownload.csv(LedgerTable.csv(found.ledger), fileName: "releve-\(found.familyID)").response
    }

    /// `YYYY-MM`, or 422 naming the `month` field.
    static func month(_ text: String?) throws -> Month {
        guard let text, let month = Month(iso: text) else {
            throw Problem.invalid([FieldProblem(field: "month", message: tr("BillingPages.month_invalid"))])
        }
        return month
    }

    /// The use case's refusals as problems: 404, or 422 with the fields.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch Billing.Failure.notFound {
            throw Problem.notFound
        } catch Billing.Failure.invalid(let problems) {
            throw Problem.invalid(problems)
        }
    }
}
