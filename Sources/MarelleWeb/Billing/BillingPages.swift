import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// Facturation for the direction (`/gestion/facturation`: a month's preview, then "Émettre
/// les factures"; a family's account with the desk's payment form; an invoice with its credit
/// note form) and "Mes factures" for parents (their family's invoices and balance only).
struct BillingPages {
    let billing: Billing
    let onlinePayments: OnlinePayments
    let directDebits: DirectDebits
    let associations: AssociationStore
    let renderer: PageRenderer
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion/facturation") { request, context in try await run(request, context) }
        router.post("/gestion/facturation") { request, context in try await issue(request, context) }
        router.get("/gestion/facturation/journal.csv") { request, context in
            let tenant = try context.requireTenant()
            _ = try context.requireStaff(request, writing: true)
            let month = Self.month(request.uri.queryParameters.get("mois"))
            return FileDownload.csv(try await billing.journal(tenant: tenant, month: month), fileName: "journal-\(month.iso)")
        }
        router.get("/gestion/facturation/reglages") { request, context in try await rules(request, context) }
        router.post("/gestion/facturation/reglages") { request, context in try await saveRules(request, context) }
        router.get("/gestion/familles/:family/compte") { request, context in try await familyAccount(request, context) }
        router.post("/gestion/familles/:family/paiements") { request, context in try await pay(request, context) }
        router.post("/gestion/familles/:family/remboursements") { request, context in try await refund(request, context) }
        router.get("/gestion/factures/{id}") { request, context in try await invoice(request, context, staff: true) }
        router.post("/gestion/factures/{id}/avoir") { request, context in try await credit(request, context) }
        router.get("/mes-factures") { request, context in try await myInvoices(request, context) }
        router.get("/mes-factures/{id}") { request, context in try await invoice(request, context, staff: false) }
    }

    static var today: LocalDate { ParisClock.date(of: Date()) }

    /// Whether "Payer en ligne" is offered: a provider set up and on, on a server that can open its keys.
    func onlineOffered(_ tenant: Tenant) async throws -> Bool {
        let settings = try await onlinePayments.settings(tenant: tenant, development: false)
        return settings.available && settings.enabled && settings.provider != nil
    }

    /// `?mois=YYYY-MM`, else last month (the one usually invoiced at the start of the next).
    static func month(_ text: String?) -> Month {
        text.flatMap { Month(iso: $0) } ?? Month(of: today).previous
    }

    func run(
        _ request: Request, _ context: AppRequestContext, month chosen: Month? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        let month = chosen ?? Self.month(request.uri.queryParameters.get("mois"))
        let preview = try await billing.preview(tenant: tenant, month: month)
        let issued = try await billing.invoices(tenant: tenant, month: month)
        let drafts = preview.drafts.map { draft in
            BillingPage.Draft(
                familyId: draft.familyID, familyName: draft.familyName, lineCount: draft.lines.count,
                total: Money(cents: draft.totalCents).description,
                lines: draft.lines.map(LineRow.init))
        }
        let done = request.uri.queryParameters.get("emises").flatMap { Int($0) }
        let model = BillingPage(
            layout: LayoutModel(tenant: tenant, title: tr("BillingPages.title_run", month.name), context: context),
            month: month.iso, monthName: month.name, previous: month.previous.iso, next: month.next.iso, drafts: drafts,
            hasDrafts: !drafts.isEmpty, familyCount: drafts.count, lineCount: preview.lineCount,
            total: Money(cents: preview.totalCents).description, undecided: preview.undecided,
            hasUndecided: preview.undecided > 0, issued: issued.map { InvoiceRow($0, today: Self.today) },
            hasIssued: !issued.isEmpty, error: error, notice: done.map { tr("BillingPages.issued_notice", $0) },
            taxYear: Self.today.year - 1)
        return try HTML(status: status, body: renderer.render("staff_billing", model), personal: true).response(
            from: request, context: context)
    }

    func issue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        guard let month = Month(iso: form.text("mois")) else {
            return try await run(request, context, error: tr("BillingPages.month_invalid"), status: .unprocessableContent)
        }
        let result = try await billing.issue(tenant: tenant, actor: .account(staff), month: month, ip: context.remoteIP)
        return Response(
            status: .seeOther, headers: [.location: "/gestion/facturation?mois=\(month.iso)&emises=\(result.invoiceCount)"])
    }

    func familyAccount(
        _ request: Request, _ context: AppRequestContext, fields: [String: String] = [:], problems: [FieldProblem] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        let familyID = try StaffPost.id(context, "family")
        guard let account = try await billing.account(tenant: tenant, familyID: familyID) else { throw HTTPError(.notFound) }
        let notice: String? =
            switch request.uri.queryParameters.get("fait") {
            case "paiement": tr("BillingPages.payment_recorded")
            case "remboursement": tr("BillingPages.refund_recorded")
            default: nil
            }
        let model = FamilyAccountPage(
            layout: LayoutModel(tenant: tenant, title: tr("BillingPages.title_account", account.familyName), context: context),
            account: account, today: Self.today, fields: fields, problems: problems, notice: notice,
            attempts: try await onlinePayments.attempts(tenant: tenant, familyID: familyID))
        return try HTML(status: status, body: renderer.render("staff_family_account", model), personal: true).response(
            from: request, context: context)
    }

    func pay(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let familyID = try StaffPost.id(context, "family")
        // "repartition_<invoice>" fields, when the desk splits the payment by hand.
        var allocations: [Int: String] = [:]
        for (name, value) in form.fields where name.hasPrefix("repartition_") {
            if let id = Int(name.dropFirst("repartition_".count)), !value.trimmingCharacters(in: .whitespaces).isEmpty {
                allocations[id] = value
            }
        }
        let draft = Billing.PaymentDraft(
            method: form.text("method"), reference: form.text("reference"), amount: form.text("amount"),
            receivedOn: form.text("receivedOn"), note: form.text("note"), allocations: allocations.isEmpty ? nil : allocations)
        do {
            _ = try await billing.recordPayment(
                tenant: tenant, staff: staff, familyID: familyID, draft: draft, ip: context.remoteIP)
        } catch Billing.Failure.invalid(let problems) {
            return try await familyAccount(
                request, context, fields: form.fields, problems: problems, status: .unprocessableContent)
        } catch Billing.Failure.notFound {
            throw HTTPError(.notFound)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/familles/\(familyID)/compte?fait=paiement"])
    }

    func refund(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let familyID = try StaffPost.id(context, "family")
        do {
            try await billing.refund(
                tenant: tenant, staff: staff, familyID: familyID, method: form.text("refundMethod"),
                amount: form.text("refundAmount"), ip: context.remoteIP)
        } catch Billing.Failure.invalid(let problems) {
            let renamed = problems.map {
                FieldProblem(field: $0.field == "amount" ? "refundAmount" : "refundMethod", message: $0.message)
            }
            return try await familyAccount(
                request, context, fields: form.fields, problems: renamed, status: .unprocessableContent)
        } catch Billing.Failure.notFound {
            throw HTTPError(.notFound)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/familles/\(familyID)/compte?fait=remboursement"])
    }

    func myInvoices(
        _ request: Request, _ context: AppRequestContext, fields: [String: String] = [:], problems: [FieldProblem] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        guard let account = try await billing.account(tenant: tenant, familyID: familyID) else { throw HTTPError(.notFound) }
        let notice: String? =
            switch request.uri.queryParameters.get("paiement") {
            case "rien": tr("BillingPages.online_nothing")
            case "echec": tr("BillingPages.online_failed")
            case "indisponible": tr("BillingPages.online_unavailable")
            case "une": tr("BillingPages.online_one_invoice")
            default: nil
            }
        let model = FamilyAccountPage(
            layout: LayoutModel(tenant: tenant, title: tr("BillingPages.title_my_invoices"), context: context),
            account: account, today: Self.today, fields: fields, problems: problems, notice: notice,
            payOnline: account.balanceCents > 0 ? try await onlineOffered(tenant) : false,
            attempts: try await onlinePayments.attempts(tenant: tenant, familyID: familyID))
        return try HTML(status: status, body: renderer.render("my_invoices", model), personal: true).response(
            from: request, context: context)
    }

    func invoice(
        _ request: Request, _ context: AppRequestContext, staff: Bool, fields: [String: String] = [:],
        problems: [FieldProblem] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let familyID: Int?
        if staff {
            _ = try context.requireStaff(request, writing: true)
            familyID = nil
        } else {
            familyID = try context.requireParent(request).familyID
        }
        let id = try StaffPost.id(context)
        // Another family's invoice is "not found", like one that does not exist.
        guard let (invoice, lines) = try await billing.invoice(tenant: tenant, id: id, familyID: familyID) else {
            throw HTTPError(.notFound)
        }
        let settings = try await associations.settings(of: tenant)
        let billingSettings = try await billing.settings(tenant: tenant)
        let row = InvoiceRow(invoice, today: Self.today)
        let maximum = invoice.totalCents - invoice.creditedCents
        let model = InvoicePage(
            layout: LayoutModel(
                tenant: tenant,
                title: row.isCreditNote
                    ? tr("BillingPages.title_credit_note", invoice.number) : tr("BillingPages.title_invoice", invoice.number),
                context: context),
            invoice: row, association: settings.displayName, associationAddress: shown(settings.postalAddress),
            siret: billingSettings.siret, billingAddress: shown(invoice.billingAddress), reason: invoice.reason,
            lines: lines.map(LineRow.init),
            total: Money(cents: invoice.totalCents).description,
            credited: invoice.creditedCents > 0 ? Money(cents: invoice.creditedCents).description : nil,
            paid: invoice.paidCents > 0 ? Money(cents: invoice.paidCents).description : nil, staff: staff,
            mayCredit: staff && !row.isCreditNote && maximum > 0, maximumCredit: Money(cents: maximum).description,
            backLink: staff ? "/gestion/familles/\(invoice.familyID ?? 0)/compte" : "/mes-factures",
            pdfLink: staff ? "/gestion/factures/\(invoice.id)/pdf" : "/mes-factures/\(invoice.id)/pdf",
            payOnline: !staff && invoice.owedCents > 0 ? try await onlineOffered(tenant) : false,
            directDebit: try await directDebits.preNotification(tenant: tenant, invoice: invoice).map {
                DirectDebits.sentence($0, today: Self.today)
            },
            errors: FormErrors(problems), fields: fields,
            notice: request.uri.queryParameters.get("avoir").map { tr("BillingPages.credit_note_issued", $0) })
        return try HTML(status: status, body: renderer.render("invoice", model), personal: true).response(
            from: request, context: context)
    }

    func credit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let id = try StaffPost.id(context)
        let note: (id: Int, number: String)
        do {
            note = try await billing.creditNote(
                tenant: tenant, staff: staff, invoiceID: id, amount: form.text("amount"), reason: form.text("reason"),
                ip: context.remoteIP)
        } catch Billing.Failure.invalid(let problems) {
            return try await invoice(
                request, context, staff: true, fields: form.fields, problems: problems, status: .unprocessableContent)
        } catch Billing.Failure.notFound {
            throw HTTPError(.notFound)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/factures/\(id)?avoir=\(note.number)"])
    }

    func rules(
        _ request: Request, _ context: AppRequestContext, form: FormData? = nil, problems: [FieldProblem] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request, writing: true)
        let rules = try await billing.rules(tenant: tenant)
        let errors = FormErrors(problems)
        let model = BillingRulesPage(
            layout: LayoutModel(tenant: tenant, title: tr("BillingPages.title_rules"), context: context),
            siret: form?.text("siret") ?? rules.settings.siret ?? "",
            paymentDays: form?.text("paymentDays") ?? String(rules.settings.paymentDays),
            reminderDays: form?.text("reminderDays") ?? rules.settings.reminderDays.map(String.init) ?? "",
            blocking: form?.text("blocking") ?? rules.settings.blockingCents.map { Money(cents: $0).description } ?? "",
            activities: rules.activities.map { a in
                BillingRulesPage.Activity(
                    id: a.id, name: a.name,
                    bases: BillingRule.Basis.allCases.map {
                        .init(
                            code: $0.rawValue, label: $0.label,
                            selected: (form?.text("basis_\(a.id)") ?? a.rule.basis.rawValue) == $0.rawValue)
                    },
                    certificateDays: form?.text("certificate_\(a.id)") ?? String(a.rule.certificateDays),
                    absencePercent: form?.text("percent_\(a.id)") ?? String(a.rule.absencePercent),
                    childcare: form.map { $0.isChecked("childcare_\(a.id)") } ?? a.rule.childcare,
                    error: [errors["basis_\(a.id)"], errors["certificate_\(a.id)"], errors["percent_\(a.id)"]].compactMap { $0 }
                        .joined(separator: " ").nilIfEmpty)
            },
            errors: errors, notice: request.uri.queryParameters.get("fait") != nil ? tr("BillingPages.rules_saved") : nil)
        return try HTML(status: status, body: renderer.render("staff_billing_rules", model), personal: true).response(
            from: request, context: context)
    }

    func saveRules(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        var activities: [Int: (basis: String, certificateDays: String, absencePercent: String, childcare: Bool)] = [:]
        for id in form.all("activites").compactMap({ Int($0) }).prefix(1000) {
            activities[id] = (
                form.text("basis_\(id)"), form.text("certificate_\(id)"), form.text("percent_\(id)"),
                form.isChecked("childcare_\(id)")
            )
        }
        do {
            try await billing.saveRules(
                tenant: tenant, staff: staff,
                draft: .init(
                    siret: form.text("siret"), paymentDays: form.text("paymentDays"), reminderDays: form.text("reminderDays"),
                    blocking: form.text("blocking"), activities: activities),
                ip: context.remoteIP)
        } catch Billing.Failure.invalid(let problems) {
            return try await rules(request, context, form: form, problems: problems, status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/facturation/reglages?fait=1"])
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
