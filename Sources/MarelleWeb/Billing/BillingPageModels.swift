import Foundation
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// The money pages' rows, with amounts already written `70,55 €`.
struct InvoiceRow {
    let id: Int
    let number: String
    let familyId: Int
    let familyName: String
    let month: String
    let issuedOn: String
    let dueOn: String
    let total: String
    let owed: String
    let status: String
    let statusCode: String
    let isCreditNote: Bool
    let creditsNumber: String?

    init(_ invoice: InvoiceStore.Invoice, today: LocalDate) {
        (id, number, familyId, familyName) = (invoice.id, invoice.number, invoice.familyID ?? 0, invoice.familyName)
        (month, issuedOn, dueOn) = (invoice.month.name, invoice.issuedOn.french, invoice.dueOn.french)
        total = Money(cents: invoice.totalCents).description
        owed = Money(cents: invoice.owedCents).description
        isCreditNote = invoice.kind == .creditNote
        let state = invoice.status(today: today)
        status = isCreditNote ? tr("BillingPages.credit_note") : state.label
        statusCode = isCreditNote ? "credit-note" : state.rawValue
        creditsNumber = invoice.creditsNumber
    }
}

struct LineRow {
    let day: String
    let label: String
    let rule: String?
    let price: String
    let amount: String

    init(_ l: InvoiceStore.Line) {
        self.init(day: l.day, label: l.label, rule: l.rule, priceCents: l.priceCents, amountCents: l.amountCents)
    }

    init(_ l: InvoicingStore.Line) {
        self.init(day: l.day, label: l.label, rule: l.rule, priceCents: l.priceCents, amountCents: l.amountCents)
    }

    init(day: LocalDate?, label: String, rule: BillingRule.LineRule, priceCents: Int, amountCents: Int) {
        self.day = day?.french ?? ""
        self.label = rule == .credit ? tr("BillingPages.credit_on", label) : label
        self.rule = shown(rule.label)
        (price, amount) = (Money(cents: priceCents).description, Money(cents: amountCents).description)
    }
}

/// `staff_billing.mustache`: a month's preview and what was issued for it.
struct BillingPage {
    let layout: LayoutModel
    let month: String
    let monthName: String
    let previous: String
    let next: String
    let drafts: [Draft]
    let hasDrafts: Bool
    let familyCount: Int
    let lineCount: Int
    let total: String
    let undecided: Int
    let hasUndecided: Bool
    let issued: [InvoiceRow]
    let hasIssued: Bool
    let error: String?
    let notice: String?
    /// The year the bundle of tax certificates covers: the one just ended.
    let taxYear: Int

    struct Draft {
        let familyId: Int
        let familyName: String
        let lineCount: Int
        let total: String
        let lines: [LineRow]
    }
}

/// `staff_family_account.mustache` and `my_invoices.mustache`: a family's account.
struct FamilyAccountPage {
    let layout: LayoutModel
    let familyId: Int
    let familyName: String
    let balance: String
    let owes: Bool
    let inCredit: Bool
    let credit: String
    let overdue: String?
    let invoices: [InvoiceRow]
    let hasInvoices: Bool
    let open: [InvoiceRow]
    let hasOpen: Bool
    let entries: [Entry]
    let hasEntries: Bool
    let methods: [CodeOption]
    let refundMethods: [CodeOption]
    let today: String
    let fields: [String: String]
    let errors: FormErrors
    let notice: String?
    /// Where the certificates' forms go: the family's own pages, or the direction's.
    let documentsBase: String
    /// The family's direct-debit mandates: signed by its parents, entered by the direction.
    let mandatesLink: String
    /// "Payer en ligne" for the whole balance (parents, when the association offers it).
    let payOnline: Bool
    /// The family's online payments, newest first, with what the provider said.
    let online: [OnlineRow]
    let hasOnline: Bool

    struct OnlineRow {
        let at: String
        let amount: String
        let state: String
        let stateCode: String
        let detail: String?
    }
    /// Which form the problems belong to: a certificate's (GET) or the desk's.
    let certificateFailed: Bool
    let paymentFailed: Bool
    let children: [MarelleWeb.Choice]
    let hasChildren: Bool
    let years: [MarelleWeb.Choice]
    /// The attendance certificate's range by default: the last month.
    let attendanceFrom: String
    let attendanceTo: String

    struct Entry {
        let on: String
        let what: String
        let number: String
        /// The invoice's page, or the payment's receipt (a PDF).
        let href: String?
        let isReceipt: Bool
        /// Named apart from the page's `credit`: Mustache would find that one when these are nil.
        let debitAmount: String?
        let creditAmount: String?
        let balance: String
    }

    init(
        layout: LayoutModel, account: Billing.FamilyAccount, today: LocalDate, fields: [String: String] = [:],
        problems: [FieldProblem] = [], notice: String? = nil, payOnline: Bool = false,
        attempts: [OnlinePaymentStore.Attempt] = []
    ) {
        self.payOnline = payOnline
        online = attempts.map { attempt in
            OnlineRow(
                at: ParisTime.format(attempt.createdAt), amount: Money(cents: attempt.amountCents).description,
                state: Self.label(attempt.state), stateCode: attempt.state.rawValue,
                detail: attempt.receiptNumber ?? (layout.isStaff ? attempt.failure : nil))
        }
        hasOnline = !online.isEmpty
        self.layout = layout
        (familyId, familyName) = (account.familyID, account.familyName)
        balance = Money(cents: abs(account.balanceCents)).description
        (owes, inCredit) = (account.balanceCents > 0, account.balanceCents < 0)
        credit = Money(cents: account.creditCents).description
        overdue = account.overdueCents > 0 ? Money(cents: account.overdueCents).description : nil
        invoices = account.invoices.map { InvoiceRow($0, today: today) }
        open = account.open.map { InvoiceRow($0, today: today) }
        (hasInvoices, hasOpen) = (!invoices.isEmpty, !open.isEmpty)
        entries = account.ledger.entries.reversed().map { entry in
            let what = LedgerTable.what(entry)
            let amount = Money(cents: abs(entry.amountCents)).description
            let href: String? =
                switch entry.kind {
                case .invoice, .creditNote: (layout.isStaff ? "/gestion/factures/" : "/mes-factures/") + String(entry.id)
                case .payment: (layout.isStaff ? "/gestion/recus/" : "/mes-factures/recus/") + String(entry.id)
                case .refund: nil
                }
            return Entry(
                on: entry.on.french, what: what, number: entry.number, href: href, isReceipt: entry.kind == .payment,
                debitAmount: entry.amountCents > 0 ? amount : nil,
                creditAmount: entry.amountCents < 0 ? amount : nil, balance: Money(cents: entry.balanceCents).description)
        }
        hasEntries = !entries.isEmpty
        let chosen = fields["method"] ?? PaymentMethod.cheque.rawValue
        methods = PaymentMethod.desk.map { CodeOption(code: $0.rawValue, label: $0.label, selected: $0.rawValue == chosen) }
        refundMethods = PaymentMethod.refundable.map { CodeOption(code: $0.rawValue, label: $0.label, selected: false) }
        self.today = today.iso
        self.fields = fields
        errors = FormErrors(problems)
        self.notice = notice
        certificateFailed = problems.contains { ["annee", "enfant", "du", "au"].contains($0.field) }
        paymentFailed = !problems.isEmpty && !certificateFailed
        documentsBase = layout.isStaff ? "/gestion/familles/\(account.familyID)" : "/mes-factures"
        mandatesLink = layout.isStaff ? "/gestion/familles/\(account.familyID)/mandats" : "/mes-prelevements"
        let child = fields["enfant"]
        children = account.children.map {
            Choice(id: $0.id, name: "\($0.firstName) \($0.lastName)", selected: String($0.id) == child)
        }
        hasChildren = !children.isEmpty
        // Last year first: the tax certificate is asked for in January, for the year just ended.
        let year = fields["annee"] ?? String(today.year - 1)
        years = (max(2000, today.year - 5)...today.year).reversed().map {
            Choice(id: $0, name: String($0), selected: String($0) == year)
        }
        let lastMonth = Month(of: today).previous
        attendanceFrom = fields["du"] ?? lastMonth.first.iso
        attendanceTo = fields["au"] ?? lastMonth.last.iso
    }
}

/// `invoice.mustache`: one invoice or credit note, printable.
struct InvoicePage {
    let layout: LayoutModel
    let invoice: InvoiceRow
    let association: String
    let associationAddress: String?
    let siret: String?
    let billingAddress: String?
    let reason: String?
    let lines: [LineRow]
    let total: String
    let credited: String?
    let paid: String?
    let staff: Bool
    let mayCredit: Bool
    let maximumCredit: String
    let backLink: String
    let pdfLink: String
    let payOnline: Bool
    /// The SEPA pre-notification, when the invoice is (to be) debited.
    let directDebit: String?
    let errors: FormErrors
    let fields: [String: String]
    let notice: String?
}

/// `staff_billing_rules.mustache`: SIRET, payment delay and each activity's billing rule.
struct BillingRulesPage {
    let layout: LayoutModel
    let siret: String
    let paymentDays: String
    let reminderDays: String
    /// The threshold in euros (`150,00 €`), as saved or as typed.
    let blocking: String
    let activities: [Activity]
    let errors: FormErrors
    let notice: String?

    struct Activity {
        let id: Int
        let name: String
        let bases: [CodeOption]
        let certificateDays: String
        let absencePercent: String
        let childcare: Bool
        let error: String?
    }
}

/// An `<option>` whose value is a code (a payment method, a billing basis).
struct CodeOption {
    let code: String
    let label: String
    let selected: Bool
}

extension FamilyAccountPage {
    static func label(_ state: OnlinePaymentStore.State) -> String {
        switch state {
        case .created, .pending: tr("OnlinePaymentState.pending")
        case .paid: tr("OnlinePaymentState.paid")
        case .failed: tr("OnlinePaymentState.failed")
        case .expired: tr("OnlinePaymentState.expired")
        case .refunded: tr("OnlinePaymentState.refunded")
        }
    }
}
