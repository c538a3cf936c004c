import MarelleCore
import MarelleDatabase

/// Credit notes (avoirs): the only way to correct an issued invoice. One references its
/// invoice, lowers what the invoice owes, and gives back as credit whatever had been paid
/// beyond the new amount.
public struct CreditNoteStore: Sendable {
    public init() {}

    public enum Outcome: Sendable {
        case issued(id: Int, number: String)
        case notFound
        /// More than the invoice still holds after earlier credit notes.
        case tooMuch(maximumCents: Int)
    }

    /// Issues a credit note of `amountCents` on invoice `invoiceID` (with `familyID`, only if
    /// it is that family's).
    public func issue(
        _ tx: Session, invoiceID: Int, amountCents: Int, reason: String, issuedOn: LocalDate, by accountID: Int?
    ) throws -> Outcome {
        let invoices = InvoiceStore()
        guard let first = try invoices.find(tx, id: invoiceID), first.kind == .invoice, let familyID = first.familyID else {
            return .notFound
        }
        let accounts = FamilyAccountStore()
        _ = try accounts.lock(tx, familyID: familyID)
        // Read again under the family's lock: another credit note may have just landed.
        guard let invoice = try invoices.find(tx, id: invoiceID) else { return .notFound }
        let maximum = invoice.totalCents - invoice.creditedCents
        guard amountCents > 0, amountCents <= maximum else { return .tooMuch(maximumCents: max(0, maximum)) }
        let number = try DocumentCounterStore().next(tx, series: .creditNote, year: issuedOn.year)
        let id = try invoices.insert(
            tx, kind: .creditNote, number: number, familyID: familyID, familyName: invoice.familyName,
            address: invoice.billingAddress, month: invoice.month, issuedOn: issuedOn, dueOn: issuedOn,
            lines: [
                InvoiceStore.NewLine(
                    bookingID: nil, childID: nil, day: nil, label: invoice.number, rule: .credit, priceCents: amountCents,
                    amountCents: amountCents, childcare: false)
            ], creditsInvoiceID: invoice.id, reason: reason, by: accountID)
        let excess = invoice.paidCents - (maximum - amountCents)
        if excess > 0 {
            try accounts.release(tx, invoiceID: invoice.id, excessCents: excess)
            try accounts.applyCredit(tx, familyID: familyID)
        }
        return .issued(id: id, number: number.description)
    }
}
