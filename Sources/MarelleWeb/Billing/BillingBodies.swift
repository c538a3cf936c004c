import Foundation
import MarelleApp
import MarelleCore
import MarelleStore

/// The API's billing bodies: amounts in integer cents, dates `YYYY-MM-DD`, months `YYYY-MM`.
struct InvoiceLineBody: Encodable {
    let bookingId: Int?
    let day: String?
    let label: String
    let rule: String
    let priceCents: Int
    let amountCents: Int
    let childcare: Bool

    init(_ l: InvoiceStore.Line) {
        (bookingId, day, label, rule) = (l.bookingID, l.day?.iso, l.label, l.rule.rawValue)
        (priceCents, amountCents, childcare) = (l.priceCents, l.amountCents, l.childcare)
    }

    init(_ l: InvoicingStore.Line) {
        (bookingId, day, label, rule) = (l.bookingID, l.day.iso, l.label, l.rule.rawValue)
        (priceCents, amountCents, childcare) = (l.priceCents, l.amountCents, l.childcare)
    }
}

struct InvoiceBody: Encodable {
    let id: Int
    let kind: String
    let number: String
    let familyId: Int?
    let familyName: String
    let month: String
    let issuedOn: String
    let dueOn: String
    let totalCents: Int
    let creditedCents: Int
    let paidCents: Int
    let owedCents: Int
    let status: String
    let creditsInvoiceId: Int?
    let reason: String?
    let lines: [InvoiceLineBody]?

    init(_ i: InvoiceStore.Invoice, lines: [InvoiceStore.Line]? = nil, today: LocalDate = ParisClock.date(of: Date())) {
        (id, kind, number, familyId, familyName) = (i.id, i.kind.rawValue, i.number, i.familyID, i.familyName)
        (month, issuedOn, dueOn) = (i.month.iso, i.issuedOn.iso, i.dueOn.iso)
        (totalCents, creditedCents, paidCents, owedCents) = (i.totalCents, i.creditedCents, i.paidCents, i.owedCents)
        status = i.kind == .creditNote ? "credit_note" : i.status(today: today).rawValue
        (creditsInvoiceId, reason) = (i.creditsInvoiceID, i.reason)
        self.lines = lines?.map(InvoiceLineBody.init)
    }
}

struct InvoicingPreviewBody: Encodable {
    struct Family: Encodable {
        let familyId: Int
        let familyName: String
        let totalCents: Int
        let lines: [InvoiceLineBody]
    }

    let month: String
    let totalCents: Int
    let undecided: Int
    let families: [Family]

    init(_ p: InvoicingStore.Preview) {
        (month, totalCents, undecided) = (p.month.iso, p.totalCents, p.undecided)
        families = p.drafts.map { d in
            Family(
                familyId: d.familyID, familyName: d.familyName, totalCents: d.totalCents, lines: d.lines.map(InvoiceLineBody.init)
            )
        }
    }
}

struct InvoicingRunBody: Encodable {
    let month: String
    let invoiceCount: Int
    let totalCents: Int
    let numbers: [String]
}

struct PaymentBody: Encodable {
    let id: Int
    let method: String
    let reference: String
    let amountCents: Int
    let receivedOn: String
    let receiptNumber: String
    let allocatedCents: Int
    let refundedCents: Int
    let remainingCents: Int

    init(_ p: FamilyAccountStore.Payment) {
        (id, method, reference, amountCents) = (p.id, p.method.rawValue, p.reference, p.amountCents)
        (receivedOn, receiptNumber) = (p.receivedOn.iso, p.receiptNumber)
        (allocatedCents, refundedCents, remainingCents) = (p.allocatedCents, p.refundedCents, p.remainingCents)
    }
}

struct FamilyAccountBody: Encodable {
    struct Entry: Encodable {
        let kind: String
        let on: String
        let number: String
        let amountCents: Int
        let balanceCents: Int
    }

    let familyId: Int
    let familyName: String
    let balanceCents: Int
    let creditCents: Int
    let overdueCents: Int
    let invoices: [InvoiceBody]
    let payments: [PaymentBody]
    let ledger: [Entry]

    init(_ a: Billing.FamilyAccount) {
        (familyId, familyName, balanceCents, creditCents, overdueCents) = (
            a.familyID, a.familyName, a.balanceCents, a.creditCents, a.overdueCents
        )
        invoices = a.invoices.map { InvoiceBody($0) }
        payments = a.payments.map(PaymentBody.init)
        ledger = a.ledger.entries.map {
            Entry(
                kind: $0.kind.rawValue, on: $0.on.iso, number: $0.number, amountCents: $0.amountCents,
                balanceCents: $0.balanceCents)
        }
    }
}

/// `POST /families/{family}/payments`.
struct PaymentInput: Decodable {
    struct Allocation: Decodable {
        let invoiceId: Int
        let amountCents: Int
    }

    let method: String
    let reference: String?
    let amountCents: Int
    let receivedOn: String?
    let note: String?
    let allocations: [Allocation]?

    /// The desk's draft: cents written as euros for the one parser of amounts.
    var draft: Billing.PaymentDraft {
        var split: [Int: String]? = nil
        if let allocations {
            split = [:]
            for a in allocations { split?[a.invoiceId] = euros(a.amountCents) }
        }
        return Billing.PaymentDraft(
            method: method, reference: reference ?? "", amount: euros(amountCents), receivedOn: receivedOn ?? "",
            note: note ?? "", allocations: split)
    }
}

/// `POST /invoices/{id}/credit-notes`.
struct CreditNoteInput: Decodable {
    let amountCents: Int
    let reason: String
}

/// `POST /invoicing-runs`.
struct InvoicingRunInput: Decodable {
    let month: String
}

/// Cents as the desk types euros (`1234` → `12.34`); a negative amount stays unreadable, so
/// that the use case refuses it with the same message as a typed one.
func euros(_ cents: Int) -> String {
    cents < 0 ? "-" : "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
}
