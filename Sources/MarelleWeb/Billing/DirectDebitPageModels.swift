import MarelleApp
import MarelleCore
import MarelleSEPA
import MarelleStore

/// `staff_direct_debit.mustache`: the creditor form, "Préparer un lot", the batches, the
/// camt.054 import and what it did.
struct DirectDebitOverviewPage {
    struct BatchRow {
        let id: Int
        let date: String
        let state: String
        let lines: Int
        let total: String
        let rejected: Int
    }

    let layout: LayoutModel
    let configured: Bool
    let creditorName: String
    let iban: String
    let bic: String
    let identifier: String
    let enabled: Bool
    let savedIBAN: String?
    let batches: [BatchRow]
    let hasBatches: Bool
    let errors: FormErrors
    let collectionDate: String
    let report: ReportModel?
    let notice: String?

    struct ReportModel {
        let rejected: [String]
        let already: [String]
        let unknown: [String]
        let nothing: Bool
        let hasRejected: Bool
        let hasAlready: Bool
        let hasUnknown: Bool
    }

    init(
        layout: LayoutModel, creditor: MandateStore.Creditor?, batches: [DebitBatchStore.Batch], problems: [FieldProblem],
        fields: [String: String], report: DirectDebits.ImportReport?, notice: String?, suggestedDate: String
    ) {
        self.layout = layout
        configured = creditor != nil
        creditorName = fields["creditorName"] ?? creditor?.name ?? layout.associationName
        // The account is shown masked; typed again to change it.
        iban = fields["iban"] ?? ""
        savedIBAN = creditor.map { IBAN.mask($0.iban) }
        bic = fields["bic"] ?? creditor?.bic ?? ""
        identifier = fields["identifier"] ?? creditor?.identifier ?? ""
        enabled = creditor?.enabled ?? true
        hasBatches = !batches.isEmpty
        self.batches = batches.map {
            BatchRow(
                id: $0.id, date: $0.collectionDate.french, state: DebitBatchPage.label($0.state), lines: $0.lineCount,
                total: Money(cents: $0.totalCents).description, rejected: $0.rejectedCount)
        }
        errors = FormErrors(problems)
        collectionDate = fields["collectionDate"] ?? suggestedDate
        self.report = report.map {
            ReportModel(
                rejected: $0.rejected, already: $0.already, unknown: $0.unknown,
                nothing: $0.rejected.isEmpty && $0.already.isEmpty && $0.unknown.isEmpty, hasRejected: !$0.rejected.isEmpty,
                hasAlready: !$0.already.isEmpty, hasUnknown: !$0.unknown.isEmpty)
        }
        self.notice = notice
    }
}

/// `staff_debit_batch.mustache`: a batch's lines, its file (or why it cannot be had), and
/// for a sent batch the reject form of each collected line.
struct DebitBatchPage {
    struct LineRow {
        let lineID: Int
        let batchID: Int
        let familyID: Int?
        let familyName: String
        let invoiceID: Int
        let invoiceNumber: String
        let amount: String
        let sequence: String
        let reference: String
        let iban: String
        let state: String
        let rejectReason: String?
        let rejectedOn: String?
        let collected: Bool
        let removable: Bool
    }

    let layout: LayoutModel
    let id: Int
    let date: String
    let state: String
    let draft: Bool
    let messageID: String?
    let total: String
    let lines: [LineRow]
    let refused: [String]
    let hasRefused: Bool
    let reasons: [CodeOption]
    let errors: FormErrors
    let today: String

    init(
        layout: LayoutModel, batch: DebitBatchStore.Batch, lines: [DebitBatchStore.Line], refused: [String],
        problems: [FieldProblem], today: String
    ) {
        self.layout = layout
        (id, date, state) = (batch.id, batch.collectionDate.french, Self.label(batch.state))
        draft = batch.state == .draft
        messageID = batch.messageID
        total = Money(cents: lines.map(\.amountCents).reduce(0, +)).description
        self.lines = lines.map {
            LineRow(
                lineID: $0.id, batchID: batch.id, familyID: $0.familyID, familyName: $0.familyName, invoiceID: $0.invoiceID,
                invoiceNumber: $0.invoiceNumber, amount: Money(cents: $0.amountCents).description, sequence: $0.sequence,
                reference: $0.mandateReference, iban: IBAN.mask($0.iban), state: Self.label($0.state),
                rejectReason: $0.rejectReason, rejectedOn: $0.rejectedOn?.french, collected: $0.state == .collected,
                removable: batch.state == .draft)
        }
        (self.refused, hasRefused) = (refused, !refused.isEmpty)
        reasons = RejectReason.allCases.map {
            CodeOption(code: $0.rawValue, label: "\($0.rawValue) · \($0.label)", selected: false)
        }
        errors = FormErrors(problems)
        self.today = today
    }

    static func label(_ state: DebitBatchStore.State) -> String {
        switch state {
        case .draft: tr("DirectDebitPages.state_draft")
        case .submitted: tr("DirectDebitPages.state_submitted")
        }
    }

    static func label(_ state: DebitBatchStore.LineState) -> String {
        switch state {
        case .included: tr("DirectDebitPages.line_included")
        case .collected: tr("DirectDebitPages.line_collected")
        case .rejected: tr("DirectDebitPages.line_rejected")
        }
    }
}

/// `mandates.mustache`: a family's mandates, for its parents (sign online, revoke) or for the
/// direction (enter a paper one, revoke).
struct MandatesPage {
    struct MandateRow {
        let id: Int
        let reference: String
        let debtorName: String
        let iban: String
        let bic: String
        let signedOn: String
        let source: String
        let signature: String?
        let active: Bool
        let state: String
        let lastReject: String?
    }

    let layout: LayoutModel
    let staff: Bool
    let familyID: Int
    let familyName: String
    let mandates: [MandateRow]
    let hasMandates: Bool
    let hasActive: Bool
    let available: Bool
    let creditorName: String
    let creditorIdentifier: String
    let errors: FormErrors
    let fields: [String: String]
    let notice: String?
    let today: String
    let action: String

    init(
        layout: LayoutModel, staff: Bool, familyID: Int, familyName: String, mandates: [MandateStore.Mandate],
        creditor: MandateStore.Creditor?, problems: [FieldProblem], fields: [String: String], notice: String?,
        today: String
    ) {
        self.layout = layout
        (self.staff, self.familyID, self.familyName) = (staff, familyID, familyName)
        self.mandates = mandates.map { m in
            MandateRow(
                id: m.id, reference: m.reference, debtorName: m.debtorName, iban: IBAN.mask(m.iban), bic: m.bic,
                signedOn: m.signedOn.french,
                source: m.source == .online ? tr("MandatesPage.source_online") : tr("MandatesPage.source_paper"),
                signature: m.source == .online
                    ? tr("MandatesPage.signature", m.signedByName ?? "?", ParisTime.format(m.signedAt), m.signedFrom ?? "?")
                    : nil,
                active: m.state == .active,
                state: m.state == .active ? tr("MandatesPage.state_active") : tr("MandatesPage.state_revoked"),
                lastReject: m.lastRejectReason.map { tr("MandatesPage.last_reject", $0, m.lastRejectOn?.french ?? "") })
        }
        hasActive = mandates.contains { $0.state == .active }
        hasMandates = !mandates.isEmpty
        available = creditor?.enabled ?? false
        creditorName = creditor?.name ?? layout.associationName
        creditorIdentifier = creditor?.identifier ?? ""
        errors = FormErrors(problems)
        (self.fields, self.notice, self.today) = (fields, notice, today)
        action = staff ? "/gestion/familles/\(familyID)/mandats" : "/mes-prelevements"
    }
}
