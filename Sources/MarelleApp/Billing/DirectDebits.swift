import Foundation
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleSEPA
import MarelleStore

/// SEPA direct debit: the association's creditor details, the families' mandates (signed
/// online by a parent, or entered from paper by staff), and the batches (`DirectDebitBatches.swift`).
/// IBAN, BIC, creditor identifier and mandate reference are checked here, before any row.
public struct DirectDebits: Sendable {
    let database: Database
    let mail: MailComposer

    public init(database: Database, mail: MailComposer) {
        (self.database, self.mail) = (database, mail)
    }

    public enum Failure: Error, Sendable, Equatable {
        /// The association has not entered its creditor details, or has switched direct debit off.
        case unavailable
        case notFound
        case invalid([FieldProblem])
        /// Nothing to debit on that date.
        case nothingToCollect
        /// The batch's file would be wrong: the reasons, none of them technical.
        case fileRefused([String])
        /// A submitted batch keeps its lines; a draft has no rejects.
        case wrongState
    }

    // MARK: The creditor

    public func creditor(tenant: Tenant) async throws -> MandateStore.Creditor? {
        try await database.withTenant(try tenant.scope()) { tx in try MandateStore().creditor(tx) }
    }

    public func configure(
        tenant: Tenant, staff: Account, name: String, iban: String, bic: String, identifier: String, enabled: Bool,
        ip: String?
    ) async throws {
        var problems: [FieldProblem] = []
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if SEPAText.latin(trimmed, max: 70).isEmpty || trimmed.count > 70 {
            problems.append(FieldProblem(field: "creditorName", message: tr("DirectDebits.creditor_name_invalid")))
        }
        // The saved account is only shown masked: an empty field keeps it.
        let saved = iban.trimmingCharacters(in: .whitespaces).isEmpty ? try await creditor(tenant: tenant)?.iban : nil
        let checkedIBAN = Self.check(saved ?? iban, into: &problems)
        let checkedBIC = Self.check(bic: bic, into: &problems)
        let checkedID = try? CreditorIdentifier(identifier)
        if checkedID == nil { problems.append(FieldProblem(field: "identifier", message: tr("DirectDebits.ics_invalid"))) }
        guard let checkedIBAN, let checkedBIC, let checkedID, problems.isEmpty else { throw Failure.invalid(problems) }
        try await database.withTenant(try tenant.scope()) { tx in
            try MandateStore().saveCreditor(
                tx,
                .init(
                    name: trimmed, iban: checkedIBAN.value, bic: checkedBIC.value, identifier: checkedID.value, enabled: enabled),
                by: staff.id)
            try AuditLog().record(
                tx, actor: .account(staff), action: "direct_debit.settings", ip: ip,
                detail: ["identifier": checkedID.value, "iban": checkedIBAN.masked, "enabled": String(enabled)])
        }
    }

    static func check(_ iban: String, into problems: inout [FieldProblem]) -> IBAN? {
        do {
            return try IBAN(iban)
        } catch {
            let message =
                switch error {
                case .empty: tr("DirectDebits.iban_empty")
                case .characters: tr("DirectDebits.iban_characters")
                case .country: tr("DirectDebits.iban_country")
                case .length(let expected): tr("DirectDebits.iban_length", expected)
                case .checksum: tr("DirectDebits.iban_checksum")
                }
            problems.append(FieldProblem(field: "iban", message: message))
            return nil
        }
    }

    static func check(bic: String, into problems: inout [FieldProblem]) -> BIC? {
        guard let checked = try? BIC(bic) else {
            problems.append(FieldProblem(field: "bic", message: tr("DirectDebits.bic_invalid")))
            return nil
        }
        return checked
    }

    // MARK: Mandates

    /// A family's mandates; `notFound` when there is no such family.
    public func mandates(tenant: Tenant, familyID: Int) async throws -> [MandateStore.Mandate] {
        try await database.withTenant(try tenant.scope()) { tx in
            guard try MandateStore().familyExists(tx, familyID: familyID) else { throw Failure.notFound }
            return try MandateStore().list(tx, familyID: familyID)
        }
    }

    public func mandate(tenant: Tenant, id: Int, familyID: Int?) async throws -> MandateStore.Mandate? {
        try await database.withTenant(try tenant.scope()) { tx in try MandateStore().find(tx, id: id, familyID: familyID) }
    }

    /// What a mandate form says, checked.
    struct MandateForm {
        let debtorName: String
        let iban: IBAN
        let bic: BIC
    }

    static func checked(debtorName: String, iban: String, bic: String, problems: inout [FieldProblem]) -> MandateForm? {
        let name = debtorName.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 140 || SEPAText.latin(name, max: 70).isEmpty {
            problems.append(FieldProblem(field: "debtorName", message: tr("DirectDebits.debtor_name_invalid")))
        }
        let checkedIBAN = check(iban, into: &problems)
        let checkedBIC = check(bic: bic, into: &problems)
        guard let checkedIBAN, let checkedBIC, problems.isEmpty else { return nil }
        return MandateForm(debtorName: name, iban: checkedIBAN, bic: checkedBIC)
    }

    /// A parent signs a mandate on the portal: the record keeps who, when and from which address.
    public func sign(
        tenant: Tenant, parent: Account, familyID: Int, debtorName: String, iban: String, bic: String, agreed: Bool,
        ip: String?, now: Date = Date()
    ) async throws -> Int {
        var problems: [FieldProblem] = []
        let form = Self.checked(debtorName: debtorName, iban: iban, bic: bic, problems: &problems)
        if !agreed { problems.append(FieldProblem(field: "agree", message: tr("DirectDebits.agree_required"))) }
        guard let form, problems.isEmpty else { throw Failure.invalid(problems) }
        return try await database.withTenant(try tenant.scope()) { tx in
            guard try MandateStore().creditor(tx)?.enabled == true else { throw Failure.unavailable }
            guard try FamilyAccountStore().lock(tx, familyID: familyID) != nil else { throw Failure.notFound }
            return try self.create(
                tx, tenant: tenant, familyID: familyID, reference: nil, form: form, signedOn: ParisClock.date(of: now),
                source: .online, by: parent, ip: ip)
        }
    }

    /// Staff enter a mandate signed on paper; its reference is the form's, or Marelle's.
    public func enterPaper(
        tenant: Tenant, staff: Account, familyID: Int, reference: String, debtorName: String, iban: String, bic: String,
        signedOn: String, ip: String?, now: Date = Date()
    ) async throws -> Int {
        var problems: [FieldProblem] = []
        let form = Self.checked(debtorName: debtorName, iban: iban, bic: bic, problems: &problems)
        let today = ParisClock.date(of: now)
        let day = LocalDate(iso: signedOn.trimmingCharacters(in: .whitespaces))
        if day == nil || day! > today || day!.year < 2009 {
            problems.append(FieldProblem(field: "signedOn", message: tr("DirectDebits.signed_on_invalid")))
        }
        let typed = reference.trimmingCharacters(in: .whitespaces)
        let checkedReference = typed.isEmpty ? nil : try? MandateReference(typed)
        if !typed.isEmpty && checkedReference == nil {
            problems.append(FieldProblem(field: "reference", message: tr("DirectDebits.reference_invalid")))
        }
        guard let form, let day, problems.isEmpty else { throw Failure.invalid(problems) }
        return try await database.withTenant(try tenant.scope()) { tx in
            guard try MandateStore().creditor(tx) != nil else { throw Failure.unavailable }
            guard try FamilyAccountStore().lock(tx, familyID: familyID) != nil else { throw Failure.notFound }
            if let checkedReference, try MandateStore().referenceTaken(tx, checkedReference.value) {
                throw Failure.invalid([FieldProblem(field: "reference", message: tr("DirectDebits.reference_taken"))])
            }
            return try self.create(
                tx, tenant: tenant, familyID: familyID, reference: checkedReference, form: form, signedOn: day, source: .paper,
                by: staff, ip: ip)
        }
    }

    func create(
        _ tx: Session, tenant: Tenant, familyID: Int, reference: MandateReference?, form: MandateForm, signedOn: LocalDate,
        source: MandateStore.Source, by account: Account, ip: String?
    ) throws -> Int {
        let store = MandateStore()
        // The generated reference carries the mandate's coming number; a paper one of the same
        // shape typed earlier moves it on.
        var number = try store.nextNumber(tx)
        var rum = reference ?? MandateReference.generated(association: tenant.displayName, number: number)
        while reference == nil, try store.referenceTaken(tx, rum.value) {
            number += 1
            rum = MandateReference.generated(association: tenant.displayName, number: number)
        }
        let id = try store.create(
            tx, familyID: familyID, reference: rum.value, debtorName: form.debtorName, iban: form.iban.value,
            bic: form.bic.value, signedOn: signedOn, source: source, by: account.id,
            from: source == .online ? ip.map { String($0.prefix(100)) } : nil)
        try AuditLog().record(
            tx, actor: .account(account), action: "mandate.\(source.rawValue)", subject: "family:\(familyID)", ip: ip,
            detail: ["mandate": String(id), "reference": rum.value, "iban": form.iban.masked])
        return id
    }

    /// Ends a mandate (the family's own, with `familyID`; any, for staff). Lines already in a
    /// draft batch go at its file; those already sent stay with the bank.
    public func revoke(tenant: Tenant, by account: Account, id: Int, familyID: Int?, ip: String?) async throws {
        try await database.withTenant(try tenant.scope()) { tx in
            let reason = account.role == .parent ? "revoked by the family" : "revoked by the direction"
            guard try MandateStore().revoke(tx, id: id, familyID: familyID, reason: reason) else { throw Failure.notFound }
            try AuditLog().record(
                tx, actor: .account(account), action: "mandate.revoke", subject: "mandate:\(id)", ip: ip)
        }
    }

    /// What an invoice page and PDF announce: the date and amount to be debited, and from which
    /// account (the SEPA pre-notification).
    public struct PreNotification: Sendable, Hashable {
        public let on: LocalDate
        public let amountCents: Int
        public let maskedIBAN: String
        public let reference: String
        public let creditorIdentifier: String
    }

    public func preNotification(tenant: Tenant, invoice: InvoiceStore.Invoice) async throws -> PreNotification? {
        try await database.withTenant(try tenant.scope()) { tx in try Self.preNotification(tx, invoice: invoice) }
    }

    /// The batch line that debits the invoice (to come or done), else the family's mandate in
    /// force while the invoice owes something; nil without direct debit.
    static func preNotification(_ tx: Session, invoice: InvoiceStore.Invoice) throws -> PreNotification? {
        guard invoice.kind == .invoice, let familyID = invoice.familyID, let creditor = try MandateStore().creditor(tx) else {
            return nil
        }
        let lines = try DebitBatchStore().lines(tx, invoiceID: invoice.id).filter { $0.state != .rejected }
        if let line = lines.last, let batch = try DebitBatchStore().find(tx, id: line.batchID) {
            return PreNotification(
                on: batch.collectionDate, amountCents: line.amountCents, maskedIBAN: IBAN.mask(line.iban),
                reference: line.mandateReference, creditorIdentifier: batch.creditor?.identifier ?? creditor.identifier)
        }
        guard creditor.enabled, invoice.owedCents > 0, let mandate = try MandateStore().active(tx, familyID: familyID)
        else { return nil }
        return PreNotification(
            on: invoice.dueOn, amountCents: invoice.owedCents, maskedIBAN: IBAN.mask(mandate.iban),
            reference: mandate.reference, creditorIdentifier: creditor.identifier)
    }

    /// The sentence invoices print: "Prélevé le …" / "Sera prélevé le …".
    public static func sentence(_ notice: PreNotification, today: LocalDate) -> String {
        let amount = Money(cents: notice.amountCents).description
        return notice.on <= today
            ? tr(
                "DirectDebits.pre_notification_done", amount, notice.on.french, notice.maskedIBAN, notice.reference,
                notice.creditorIdentifier)
            : tr(
                "DirectDebits.pre_notification", amount, notice.on.french, notice.maskedIBAN, notice.reference,
                notice.creditorIdentifier)
    }
}
