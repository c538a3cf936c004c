import Foundation
import MarelleCore
import MarelleDatabase
import MarelleSEPA
import MarelleStore

/// Direct-debit batches: prepared for a collection date from the invoices due by then, sent
/// as a pain.008 file once every check passed (the money is recorded then, in the same
/// transaction), and corrected by the bank's rejects and returns, by hand or from camt.054.
extension DirectDebits {
    public func batches(tenant: Tenant) async throws -> [DebitBatchStore.Batch] {
        try await database.withTenant(try tenant.scope()) { tx in try DebitBatchStore().list(tx) }
    }

    public func batch(tenant: Tenant, id: Int) async throws -> (DebitBatchStore.Batch, [DebitBatchStore.Line])? {
        try await database.withTenant(try tenant.scope()) { tx in
            guard let batch = try DebitBatchStore().find(tx, id: id) else { return nil }
            return (batch, try DebitBatchStore().lines(tx, batchID: id))
        }
    }

    /// A draft batch for `collectionDate` (ISO): every invoice due by then, still owed, of a
    /// family with a mandate in force, and not presented yet. Two desks preparing at once wait
    /// for each other (the creditor row is the lock), so no invoice lands in two batches.
    public func prepare(tenant: Tenant, staff: Account, collectionDate text: String, ip: String?, now: Date = Date())
        async throws -> Int
    {
        let today = ParisClock.date(of: now)
        guard let day = LocalDate(iso: text.trimmingCharacters(in: .whitespaces)), day > today,
            day <= today.adding(days: 366)
        else {
            throw Failure.invalid([FieldProblem(field: "collectionDate", message: tr("DirectDebits.collection_date_invalid"))])
        }
        return try await database.withTenant(try tenant.scope()) { tx in
            guard try MandateStore().lockCreditor(tx)?.enabled == true else { throw Failure.unavailable }
            let store = DebitBatchStore()
            let candidates = try store.candidates(tx, dueBy: day)
            guard !candidates.isEmpty else { throw Failure.nothingToCollect }
            let id = try store.create(tx, collectionDate: day, by: staff.id)
            for candidate in candidates {
                try store.addLine(
                    tx, batchID: id, mandateID: candidate.mandateID, invoiceID: candidate.invoiceID,
                    amountCents: candidate.owedCents, first: candidate.firstCollection,
                    endToEndID: "\(candidate.invoiceNumber)-\(id)")
            }
            try AuditLog().record(
                tx, actor: .account(staff), action: "direct_debit.prepare", subject: "batch:\(id)", ip: ip,
                detail: ["date": day.iso, "lines": String(candidates.count)])
            return id
        }
    }

    public func removeLine(tenant: Tenant, staff: Account, batchID: Int, lineID: Int, ip: String?) async throws {
        try await database.withTenant(try tenant.scope()) { tx in
            guard try DebitBatchStore().removeLine(tx, id: lineID, batchID: batchID) else { throw Failure.notFound }
            try AuditLog().record(
                tx, actor: .account(staff), action: "direct_debit.remove_line", subject: "batch:\(batchID)", ip: ip,
                detail: ["line": String(lineID)])
        }
    }

    public func delete(tenant: Tenant, staff: Account, batchID: Int, ip: String?) async throws {
        try await database.withTenant(try tenant.scope()) { tx in
            guard try DebitBatchStore().delete(tx, id: batchID) else { throw Failure.notFound }
            try AuditLog().record(tx, actor: .account(staff), action: "direct_debit.delete", subject: "batch:\(batchID)", ip: ip)
        }
    }

    /// The batch's file. The first time, the draft is brought up to date (an invoice paid
    /// meanwhile goes, one paid in part is debited what it still owes, a revoked mandate's
    /// line goes), checked, and sent: its payments are recorded on the collection date. A
    /// file that fails a check (IBAN, BIC, the ISO 20022 schema) is not given, and nothing
    /// changes. Later calls give the same file again.
    public func file(
        tenant: Tenant, staff: Account, batchID: Int, version: DirectDebitFile.Version, ip: String?, now: Date = Date()
    ) async throws -> (name: String, xml: String) {
        try await database.withTenant(try tenant.scope()) { tx in
            let store = DebitBatchStore()
            guard let batch = try store.find(tx, id: batchID, lock: true) else { throw Failure.notFound }
            let sending = batch.state == .draft
            if sending { try self.submit(tx, batch: batch, now: now) }
            guard let sent = try store.find(tx, id: batchID), let creditor = sent.creditor, let messageID = sent.messageID,
                let at = sent.submittedAt
            else { throw Failure.notFound }
            let lines = try store.lines(tx, batchID: batchID)
            let file = Self.file(messageID: messageID, at: at, batch: sent, creditor: creditor, lines: lines)
            let xml = try Self.checkedXML(file, version: version)
            if sending {
                // Both versions pass before any money is recorded (a refused file rolls the whole
                // back), so a later download of the other one cannot fail on a sent batch.
                for other in DirectDebitFile.Version.allCases where other != version {
                    _ = try Self.checkedXML(file, version: other)
                }
                try self.recordPayments(tx, batch: sent, lines: lines, staff: staff, ip: ip, now: now)
            }
            return ("\(messageID).\(version.rawValue).xml", xml)
        }
    }

    static func file(
        messageID: String, at instant: Date, batch: DebitBatchStore.Batch, creditor: MandateStore.Creditor,
        lines: [DebitBatchStore.Line]
    ) -> DirectDebitFile {
        DirectDebitFile(
            messageID: messageID, createdAt: "\(ParisClock.date(of: instant).iso)T\(ParisClock.time(of: instant)):00",
            collectionDate: batch.collectionDate.iso,
            creditor: .init(name: creditor.name, iban: creditor.iban, bic: creditor.bic, identifier: creditor.identifier),
            transactions: lines.map { line in
                .init(
                    endToEndID: line.endToEndID, amountCents: line.amountCents, mandateReference: line.mandateReference,
                    signedOn: line.mandateSignedOn.iso, sequence: line.sequence == "FRST" ? .first : .recurring,
                    debtorName: line.debtorName, iban: line.iban, bic: line.bic,
                    remittance: tr("DirectDebits.remittance", line.invoiceNumber, line.invoiceMonth.name))
            })
    }

    /// The rulebook's checks, then the schema's: every reason in words, or the XML.
    static func checkedXML(_ file: DirectDebitFile, version: DirectDebitFile.Version) throws -> String {
        let problems = Pain008.problems(file)
        guard problems.isEmpty else { throw Failure.fileRefused(problems.map(describe)) }
        let xml = Pain008.xml(file, version: version)
        do {
            try SchemaValidator.validate(xml, version: version)
        } catch {
            throw Failure.fileRefused(error.messages.map { tr("DirectDebits.schema_problem", version.rawValue, $0) })
        }
        return xml
    }

    static func describe(_ problem: Pain008.Problem) -> String {
        switch problem {
        case .creditorName: tr("DirectDebits.problem_creditor_name")
        case .creditorIBAN: tr("DirectDebits.problem_creditor_iban")
        case .creditorBIC: tr("DirectDebits.problem_creditor_bic")
        case .creditorIdentifier: tr("DirectDebits.problem_creditor_identifier")
        case .noTransaction: tr("DirectDebits.problem_empty")
        case .iban(let id, let debtor): tr("DirectDebits.problem_iban", debtor, id)
        case .bic(let id, let debtor): tr("DirectDebits.problem_bic", debtor, id)
        case .debtorName(let id): tr("DirectDebits.problem_debtor_name", id)
        case .mandateReference(let id, let debtor): tr("DirectDebits.problem_reference", debtor, id)
        case .amount(let id, let debtor): tr("DirectDebits.problem_amount", debtor, id)
        case .duplicateEndToEndID(let id): tr("DirectDebits.problem_duplicate", id)
        }
    }

    /// Brings a draft up to date under its families' locks (an invoice paid meanwhile goes,
    /// one paid in part is debited what it still owes, a revoked mandate's line goes) and
    /// freezes it with the creditor as the file will name it.
    func submit(_ tx: Session, batch: DebitBatchStore.Batch, now: Date) throws {
        let store = DebitBatchStore()
        guard let creditor = try MandateStore().creditor(tx), creditor.enabled else { throw Failure.unavailable }
        var kept = 0
        for line in try store.lines(tx, batchID: batch.id) {
            guard line.mandateActive, let familyID = line.familyID,
                try FamilyAccountStore().lock(tx, familyID: familyID) != nil,
                let invoice = try InvoiceStore().find(tx, id: line.invoiceID), invoice.owedCents > 0
            else {
                _ = try store.removeLine(tx, id: line.id, batchID: batch.id)
                continue
            }
            if invoice.owedCents < line.amountCents { try store.setLine(tx, id: line.id, amountCents: invoice.owedCents) }
            kept += 1
        }
        guard kept > 0 else { throw Failure.nothingToCollect }
        let messageID = "MARELLE-LOT\(batch.id)-\(ParisClock.date(of: now).iso.replacingOccurrences(of: "-", with: ""))"
        try store.submit(tx, id: batch.id, messageID: messageID, creditor: creditor, at: now)
    }

    /// Each line of the batch just sent becomes a payment on the collection date, allocated to its invoice.
    func recordPayments(
        _ tx: Session, batch: DebitBatchStore.Batch, lines: [DebitBatchStore.Line], staff: Account, ip: String?, now: Date
    ) throws {
        let accounts = FamilyAccountStore()
        let today = ParisClock.date(of: now)
        for line in lines {
            guard let familyID = line.familyID else { continue }
            let paymentID = try accounts.record(
                tx, familyID: familyID, familyName: line.familyName, method: .directDebit, reference: line.mandateReference,
                amountCents: line.amountCents, receivedOn: batch.collectionDate,
                note: tr("DirectDebits.payment_note", line.invoiceNumber), by: staff.id, today: today)
            try accounts.allocate(tx, paymentID: paymentID, invoiceID: line.invoiceID, amountCents: line.amountCents)
            try DebitBatchStore().markCollected(tx, lineID: line.id, paymentID: paymentID)
        }
        try AuditLog().record(
            tx, actor: .account(staff), action: "direct_debit.send", subject: "batch:\(batch.id)", ip: ip,
            detail: [
                "message": batch.messageID ?? "", "lines": String(lines.count),
                "total": String(lines.map(\.amountCents).reduce(0, +)),
            ])
    }

    // MARK: Rejects and returns

    /// The bank sent a collected line back: its payment is taken back (the invoice owes again),
    /// the mandate notes it (and ends, for a reason that would fail again), the family is told.
    /// False when the line was already rejected (a notice imported twice changes nothing).
    @discardableResult
    func reject(
        _ tx: Session, tenant: Tenant, line: DebitBatchStore.Line, code: String, on day: LocalDate, by staff: Account, ip: String?
    )
        throws -> Bool
    {
        guard line.state == .collected, let paymentID = line.paymentID, let familyID = line.familyID else {
            if line.state == .rejected { return false }
            throw Failure.wrongState
        }
        let accounts = FamilyAccountStore()
        guard try accounts.lock(tx, familyID: familyID) != nil else { return false }
        let reason = RejectReason.describe(String(code.prefix(35)))
        try accounts.reverse(tx, paymentID: paymentID, familyID: familyID, method: .directDebit, on: day, by: staff.id)
        try DebitBatchStore().markRejected(tx, lineID: line.id, reason: reason, on: day)
        try MandateStore().markRejected(
            tx, id: line.mandateID, reason: reason, on: day, revoke: RejectReason(rawValue: code)?.endsMandate ?? false)
        try accounts.applyCredit(tx, familyID: familyID)
        try AuditLog().record(
            tx, actor: .account(staff), action: "direct_debit.reject", subject: "family:\(familyID)", ip: ip,
            detail: ["line": String(line.id), "reason": code, "amount": String(line.amountCents)])
        for parent in try AccountStore().list(tx, familyID: familyID) where !parent.isDisabled {
            let message = mail.speaking(to: parent) {
                mail.directDebitRejected(
                    tenant, invoiceID: line.invoiceID, number: line.invoiceNumber, amountCents: line.amountCents,
                    reason: RejectReason(rawValue: code)?.label ?? code)
            }
            try OutboxStore().enqueue(tx, kind: message.kind, to: parent.email, subject: message.subject, body: message.body)
        }
        return true
    }

    /// A reject entered by hand, from the bank's letter or statement.
    public func reject(
        tenant: Tenant, staff: Account, batchID: Int, lineID: Int, code: String, on text: String, ip: String?,
        now: Date = Date()
    ) async throws {
        let today = ParisClock.date(of: now)
        var problems: [FieldProblem] = []
        if RejectReason(rawValue: code) == nil {
            problems.append(FieldProblem(field: "reason", message: tr("DirectDebits.reason_invalid")))
        }
        let day = text.isEmpty ? today : LocalDate(iso: text.trimmingCharacters(in: .whitespaces))
        if day == nil || day! > today {
            problems.append(FieldProblem(field: "on", message: tr("DirectDebits.reject_date_invalid")))
        }
        guard let day, problems.isEmpty else { throw Failure.invalid(problems) }
        try await database.withTenant(try tenant.scope()) { tx in
            guard let line = try DebitBatchStore().line(tx, id: lineID, batchID: batchID) else { throw Failure.notFound }
            try self.reject(tx, tenant: tenant, line: line, code: code, on: day, by: staff, ip: ip)
        }
    }

    /// What importing a camt.054 notice did: lines rejected now, lines it named that were
    /// already rejected, and references it names that are not Marelle's.
    public struct ImportReport: Sendable, Hashable {
        public var rejected: [String] = []
        public var already: [String] = []
        public var unknown: [String] = []
    }

    /// Reads the bank's camt.054 notice and rejects each returned line, in one transaction.
    public func importReturns(tenant: Tenant, staff: Account, notice: [UInt8], ip: String?, now: Date = Date()) async throws
        -> ImportReport
    {
        let returns: [Camt054Reader.Return]
        do {
            returns = try Camt054Reader.returns(in: notice)
        } catch {
            throw Failure.invalid([FieldProblem(field: "file", message: tr("DirectDebits.notice_unreadable"))])
        }
        let today = ParisClock.date(of: now)
        return try await database.withTenant(try tenant.scope()) { tx in
            var report = ImportReport()
            for found in returns {
                guard let line = try DebitBatchStore().line(tx, endToEndID: found.endToEndID), line.state != .included else {
                    report.unknown.append(String(found.endToEndID.prefix(35)))
                    continue
                }
                let booked = found.bookedOn.flatMap(LocalDate.init(iso:)).map { min($0, today) } ?? today
                if try self.reject(tx, tenant: tenant, line: line, code: found.reason, on: booked, by: staff, ip: ip) {
                    report.rejected.append(line.endToEndID)
                } else {
                    report.already.append(line.endToEndID)
                }
            }
            return report
        }
    }
}
