import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Invoicing and the families' accounts: the monthly run (preview, then issue), invoices and
/// credit notes, payments at the desk with their allocation, refunds, and the billing rules.
/// Staff-only operations check nothing about roles here: the web layer lets only staff in.
public struct Billing: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum Failure: Error, Sendable, Equatable {
        case notFound
        case invalid([FieldProblem])
    }

    public func settings(tenant: Tenant) async throws -> BillingSettingsStore.Settings {
        try await database.withTenant(try tenant.scope()) { tx in try BillingSettingsStore().settings(tx) }
    }

    public func preview(tenant: Tenant, month: Month) async throws -> InvoicingStore.Preview {
        try await database.withTenant(try tenant.scope()) { tx in try InvoicingStore().preview(tx, month: month) }
    }

    /// Issues the month's invoices (what a preview showed, less what another run took since).
    public func issue(tenant: Tenant, actor: Actor, month: Month, ip: String?, now: Date = Date()) async throws
        -> InvoicingStore.Run
    {
        try await database.withTenant(try tenant.scope()) { tx in
            let settings = try BillingSettingsStore().settings(tx)
            let account: Account? = if case .account(let a) = actor { a } else { nil }
            let label: String =
                switch actor {
                case .account(let a): a.displayName.isEmpty ? a.email : a.displayName
                case .operator(let name): name
                case .system, .anonymous: ""
                }
            let run = try InvoicingStore().issue(
                tx, month: month, issuedOn: ParisClock.date(of: now), paymentDays: settings.paymentDays, by: account,
                byLabel: label)
            try AuditLog().record(
                tx, actor: actor, action: "invoices.issue", subject: "month:\(month.iso)", ip: ip,
                detail: [
                    "invoices": String(run.invoiceCount), "total": String(run.totalCents),
                    "numbers": run.numbers.first.map { "\($0)…\(run.numbers.last ?? $0)" } ?? "",
                ])
            return run
        }
    }

    /// The month's accounting journal as CSV (date, journal, account, label, debit, credit).
    public func journal(tenant: Tenant, month: Month) async throws -> String {
        let entries = try await database.withTenant(try tenant.scope()) { tx in
            try AccountingJournalStore().entries(tx, month: month)
        }
        var csv = CSVWriter(header: [
            tr("Billing.journal_date"), tr("Billing.journal_journal"), tr("Billing.journal_account"),
            tr("Billing.journal_label"), tr("Billing.journal_debit"), tr("Billing.journal_credit"),
        ])
        for e in entries {
            csv.append([
                .date(e.on), .text(e.journal), .text(e.account), .text(e.label), .euros(cents: e.debitCents),
                .euros(cents: e.creditCents),
            ])
        }
        return csv.text
    }

    public func invoices(tenant: Tenant, month: Month) async throws -> [InvoiceStore.Invoice] {
        try await database.withTenant(try tenant.scope()) { tx in try InvoiceStore().list(tx, month: month) }
    }

    /// An invoice with its lines; `familyID` set for a parent, who sees only their family's.
    public func invoice(tenant: Tenant, id: Int, familyID: Int?) async throws -> (
        invoice: InvoiceStore.Invoice, lines: [InvoiceStore.Line]
    )? {
        try await database.withTenant(try tenant.scope()) { tx in
            let store = InvoiceStore()
            guard let invoice = try store.find(tx, id: id, familyID: familyID) else { return nil }
            return (invoice, try store.lines(tx, invoiceID: id))
        }
    }

    /// A family's money at a glance.
    public struct FamilyAccount: Sendable {
        public let familyID: Int
        public let familyName: String
        public let invoices: [InvoiceStore.Invoice]
        public let payments: [FamilyAccountStore.Payment]
        public let ledger: FamilyAccountStore.Ledger
        /// Named on the attendance certificate's form.
        public let children: [ChildStore.Child]
        /// The day the account was read: what is overdue depends on it.
        public let today: LocalDate
        public var balanceCents: Int { ledger.balanceCents }
        /// What the payments hold that no invoice used and no refund gave back.
        public var creditCents: Int { payments.map(\.remainingCents).reduce(0, +) }
        /// What is owed on invoices past their due date (for reminders and blocking).
        public var overdueCents: Int {
            invoices.filter { $0.kind == .invoice && $0.dueOn < today }.map(\.owedCents).reduce(0, +)
        }
        /// The invoices that still owe something, oldest first (the desk's allocation form).
        public var open: [InvoiceStore.Invoice] {
            invoices.filter { $0.kind == .invoice && $0.owedCents > 0 }.sorted { ($0.issuedOn, $0.id) < ($1.issuedOn, $1.id) }
        }
    }

    public func account(tenant: Tenant, familyID: Int, today: LocalDate = ParisClock.date(of: Date())) async throws
        -> FamilyAccount?
    {
        try await database.withTenant(try tenant.scope()) { tx in
            guard let name = try tx.queryFirst("SELECT name FROM families WHERE id = \(familyID)") else { return nil }
            let store = FamilyAccountStore()
            return FamilyAccount(
                familyID: familyID, familyName: try name.decode("name"),
                invoices: try InvoiceStore().list(tx, familyID: familyID), payments: try store.payments(tx, familyID: familyID),
                ledger: try store.ledger(tx, familyID: familyID), children: try ChildStore().list(tx, familyID: familyID),
                today: today)
        }
    }

    /// A payment as the desk types it. `allocations` (invoice id → amount) allocates by hand;
    /// nil allocates oldest invoice first. What is not allocated stays as the family's credit.
    public struct PaymentDraft: Sendable {
        public var method: String
        public var reference: String
        public var amount: String
        public var receivedOn: String
        public var note: String
        public var allocations: [Int: String]?

        public init(
            method: String, reference: String = "", amount: String, receivedOn: String = "", note: String = "",
            allocations: [Int: String]? = nil
        ) {
            (self.method, self.reference, self.amount, self.receivedOn, self.note, self.allocations) = (
                method, reference, amount, receivedOn, note, allocations
            )
        }
    }

    /// The largest amount typed anywhere in billing: 100 000,00 €.
    public static let maximumCents = 10_000_000

    /// Records a payment and allocates it, in one transaction; the payment read back.
    public func recordPayment(
        tenant: Tenant, staff: Account, familyID: Int, draft: PaymentDraft, ip: String?, now: Date = Date()
    ) async throws -> FamilyAccountStore.Payment {
        let today = ParisClock.date(of: now)
        var problems: [FieldProblem] = []
        let method = PaymentMethod(rawValue: draft.method).flatMap { PaymentMethod.desk.contains($0) ? $0 : nil }
        if method == nil { problems.append(FieldProblem(field: "method", message: tr("Billing.method_unknown"))) }
        let reference = draft.reference.trimmingCharacters(in: .whitespacesAndNewlines)
        if reference.count > 100 {
            problems.append(FieldProblem(field: "reference", message: tr("Billing.reference_too_long")))
        } else if method?.needsReference == true && reference.isEmpty {
            problems.append(FieldProblem(field: "reference", message: tr("Billing.cheque_number_needed")))
        }
        let amount = Self.amount(draft.amount, field: "amount", problems: &problems)
        var receivedOn = today
        if !draft.receivedOn.isEmpty {
            if let day = LocalDate(iso: draft.receivedOn), day <= today, day >= today.adding(days: -730) {
                receivedOn = day
            } else {
                problems.append(FieldProblem(field: "receivedOn", message: tr("Billing.received_on_invalid")))
            }
        }
        let note = draft.note.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 1000 { problems.append(FieldProblem(field: "note", message: tr("Billing.note_too_long"))) }
        var manual: [(invoiceID: Int, cents: Int)]? = nil
        if let allocations = draft.allocations {
            manual = allocations.sorted { $0.key < $1.key }.compactMap { id, text in
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { return nil }
                guard let cents = Money(parsing: trimmed)?.cents, cents <= Self.maximumCents else {
                    problems.append(FieldProblem(field: "allocations.\(id)", message: tr("Billing.amount_invalid")))
                    return nil
                }
                return cents > 0 ? (id, cents) : nil
            }
            if let manual, let amount, manual.map(\.cents).reduce(0, +) > amount {
                problems.append(FieldProblem(field: "allocations", message: tr("Billing.allocations_exceed_payment")))
            }
        }
        guard let method, let amount, problems.isEmpty else { throw Failure.invalid(problems) }
        let (chosen, day) = (manual, receivedOn)
        return try await database.withTenant(try tenant.scope()) { tx in
            let (manual, receivedOn) = (chosen, day)
            let store = FamilyAccountStore()
            guard let familyName = try store.lock(tx, familyID: familyID) else { throw Failure.notFound }
            if let manual {
                let open = Dictionary(
                    uniqueKeysWithValues: try store.openInvoices(tx, familyID: familyID).map { ($0.id, $0.owedCents) })
                var wrong: [FieldProblem] = []
                for (invoiceID, cents) in manual {
                    guard let owed = open[invoiceID] else {
                        wrong.append(FieldProblem(field: "allocations.\(invoiceID)", message: tr("Billing.invoice_not_open")))
                        continue
                    }
                    if cents > owed {
                        wrong.append(
                            FieldProblem(
                                field: "allocations.\(invoiceID)",
                                message: tr("Billing.allocation_exceeds_owed", Money(cents: owed).description)))
                    }
                }
                if !wrong.isEmpty { throw Failure.invalid(wrong) }
            }
            let id = try store.record(
                tx, familyID: familyID, familyName: familyName, method: method, reference: reference, amountCents: amount,
                receivedOn: receivedOn, note: note, by: staff.id, today: today)
            if let manual {
                for (invoiceID, cents) in manual {
                    try store.allocate(tx, paymentID: id, invoiceID: invoiceID, amountCents: cents)
                }
            } else {
                try store.applyCredit(tx, familyID: familyID)
            }
            try AuditLog().record(
                tx, actor: .account(staff), action: "payment.record", subject: "family:\(familyID)", ip: ip,
                detail: ["payment": String(id), "amount": String(amount), "method": method.rawValue])
            guard let payment = try store.payment(tx, id: id) else { throw Failure.notFound }
            return payment
        }
    }

    /// A credit note on an invoice, with its reason.
    public func creditNote(
        tenant: Tenant, staff: Account, invoiceID: Int, amount text: String, reason: String, ip: String?, now: Date = Date()
    ) async throws -> (id: Int, number: String) {
        var problems: [FieldProblem] = []
        let amount = Self.amount(text, field: "amount", problems: &problems)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty || reason.count > 1000 {
            problems.append(FieldProblem(field: "reason", message: tr("Billing.credit_reason_needed")))
        }
        guard let amount, problems.isEmpty else { throw Failure.invalid(problems) }
        return try await database.withTenant(try tenant.scope()) { tx in
            switch try CreditNoteStore().issue(
                tx, invoiceID: invoiceID, amountCents: amount, reason: reason, issuedOn: ParisClock.date(of: now), by: staff.id)
            {
            case .notFound: throw Failure.notFound
            case .tooMuch(let maximum):
                throw Failure.invalid([
                    FieldProblem(field: "amount", message: tr("Billing.credit_too_much", Money(cents: maximum).description))
                ])
            case .issued(let id, let number):
                try AuditLog().record(
                    tx, actor: .account(staff), action: "invoice.credit", subject: "invoice:\(invoiceID)", ip: ip,
                    detail: ["creditNote": number, "amount": String(amount)])
                return (id, number)
            }
        }
    }

    /// Gives a family's credit back (cash, cheque or transfer).
    public func refund(
        tenant: Tenant, staff: Account, familyID: Int, method text: String, amount: String, ip: String?, now: Date = Date()
    ) async throws {
        var problems: [FieldProblem] = []
        let method = PaymentMethod(rawValue: text).flatMap { PaymentMethod.refundable.contains($0) ? $0 : nil }
        if method == nil { problems.append(FieldProblem(field: "method", message: tr("Billing.method_unknown"))) }
        let cents = Self.amount(amount, field: "amount", problems: &problems)
        guard let method, let cents, problems.isEmpty else { throw Failure.invalid(problems) }
        try await database.withTenant(try tenant.scope()) { tx in
            let store = FamilyAccountStore()
            guard try store.lock(tx, familyID: familyID) != nil else { throw Failure.notFound }
            let credit = try store.creditCents(tx, familyID: familyID)
            guard cents <= credit else {
                throw Failure.invalid([
                    FieldProblem(field: "amount", message: tr("Billing.refund_too_much", Money(cents: credit).description))
                ])
            }
            try store.refund(
                tx, familyID: familyID, method: method, amountCents: cents, on: ParisClock.date(of: now), by: staff.id)
            try AuditLog().record(
                tx, actor: .account(staff), action: "payment.refund", subject: "family:\(familyID)", ip: ip,
                detail: ["amount": String(cents), "method": method.rawValue])
        }
    }

    /// The billing settings and every activity's rule, for the settings page.
    public struct Rules: Sendable {
        public let settings: BillingSettingsStore.Settings
        public let activities: [(id: Int, name: String, rule: BillingRule)]
    }

    public func rules(tenant: Tenant) async throws -> Rules {
        try await database.withTenant(try tenant.scope()) { tx in
            let store = BillingRuleStore()
            return Rules(
                settings: try BillingSettingsStore().settings(tx),
                activities: try ActivityStore().list(tx).map { ($0.id, $0.draft.name, try store.rule(tx, activityID: $0.id)) })
        }
    }

    /// The settings page as typed: SIRET (14 digits, or empty), payment days, the reminder's
    /// days after the due date and the blocking threshold in euros (each empty: none), and per
    /// activity its basis, certificate delay, absence percentage and childcare box.
    public struct RulesDraft: Sendable {
        public var siret: String
        public var paymentDays: String
        public var reminderDays: String
        public var blocking: String
        public var activities: [Int: (basis: String, certificateDays: String, absencePercent: String, childcare: Bool)]

        public init(
            siret: String, paymentDays: String, reminderDays: String = "", blocking: String = "",
            activities: [Int: (basis: String, certificateDays: String, absencePercent: String, childcare: Bool)]
        ) {
            (self.siret, self.paymentDays, self.reminderDays, self.blocking, self.activities) = (
                siret, paymentDays, reminderDays, blocking, activities
            )
        }
    }

    /// Saves settings and rules together, or nothing (422 naming each wrong field).
    public func saveRules(tenant: Tenant, staff: Account, draft: RulesDraft, ip: String?) async throws {
        var problems: [FieldProblem] = []
        let siret = draft.siret.filter { !$0.isWhitespace }
        if !siret.isEmpty && (siret.count != 14 || !siret.allSatisfy(\.isASCII) || !siret.allSatisfy(\.isNumber)) {
            problems.append(FieldProblem(field: "siret", message: tr("Billing.siret_invalid")))
        }
        let days = Int(draft.paymentDays.trimmingCharacters(in: .whitespaces))
        if days == nil || !(0...120).contains(days ?? -1) {
            problems.append(FieldProblem(field: "paymentDays", message: tr("Billing.payment_days_invalid")))
        }
        let reminderText = draft.reminderDays.trimmingCharacters(in: .whitespaces)
        let reminderDays = Int(reminderText)
        if !reminderText.isEmpty && !(1...120).contains(reminderDays ?? 0) {
            problems.append(FieldProblem(field: "reminderDays", message: tr("Billing.reminder_days_invalid")))
        }
        let blockingText = draft.blocking.trimmingCharacters(in: .whitespaces)
        let blocking = Money(parsing: blockingText)?.cents
        if !blockingText.isEmpty && !(0...Self.maximumCents).contains(blocking ?? -1) {
            problems.append(FieldProblem(field: "blocking", message: tr("Billing.blocking_invalid")))
        }
        var rules: [Int: BillingRule] = [:]
        for (id, typed) in draft.activities {
            let basis = BillingRule.Basis(rawValue: typed.basis)
            let certificate = Int(typed.certificateDays.trimmingCharacters(in: .whitespaces))
            let percent = Int(typed.absencePercent.trimmingCharacters(in: .whitespaces))
            if basis == nil { problems.append(FieldProblem(field: "basis_\(id)", message: tr("Billing.basis_invalid"))) }
            if certificate == nil || !BillingRule.certificateDaysRange.contains(certificate ?? -1) {
                problems.append(FieldProblem(field: "certificate_\(id)", message: tr("Billing.certificate_days_invalid")))
            }
            if percent == nil || !BillingRule.percentRange.contains(percent ?? -1) {
                problems.append(FieldProblem(field: "percent_\(id)", message: tr("Billing.percent_invalid")))
            }
            if let basis, let certificate, let percent {
                rules[id] = BillingRule(
                    basis: basis, certificateDays: certificate, absencePercent: percent, childcare: typed.childcare)
            }
        }
        guard let days, problems.isEmpty else { throw Failure.invalid(problems) }
        let chosen = rules
        try await database.withTenant(try tenant.scope()) { tx in
            let store = BillingSettingsStore()
            var settings = try store.settings(tx)
            (settings.siret, settings.paymentDays) = (siret.isEmpty ? nil : siret, days)
            settings.reminderDays = reminderText.isEmpty ? nil : reminderDays
            settings.blockingCents = blockingText.isEmpty ? nil : blocking
            try store.update(tx, settings, displayName: tenant.displayName)
            for (id, rule) in chosen {
                // An activity of another association, or gone: nothing to set (the ids come from the page).
                _ = try BillingRuleStore().set(tx, activityID: id, rule: rule)
            }
            try AuditLog().record(
                tx, actor: .account(staff), action: "billing.rules", ip: ip, detail: ["activities": String(chosen.count)])
        }
    }

    /// An amount typed in euros (`12,50`), more than zero and at most `maximumCents`.
    static func amount(_ text: String, field: String, problems: inout [FieldProblem]) -> Int? {
        guard let cents = Money(parsing: text)?.cents, cents > 0, cents <= maximumCents else {
            problems.append(FieldProblem(field: field, message: tr("Billing.amount_invalid")))
            return nil
        }
        return cents
    }
}
