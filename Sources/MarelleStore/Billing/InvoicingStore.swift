import Foundation
import MarelleCore
import MarelleDatabase

/// The monthly invoicing run: the booked dates of a month not invoiced yet, priced by each
/// activity's rule (the price frozen on the booking), one invoice per family.
public struct InvoicingStore: Sendable {
    public init() {}

    /// A booked date of the month, with what its rule makes of it.
    public struct Line: Sendable, Hashable {
        public let bookingID: Int
        public let familyID: Int
        public let familyName: String
        public let childID: Int?
        public let childName: String
        public let activityName: String
        public let day: LocalDate
        public let priceCents: Int
        public let rule: BillingRule.LineRule
        public let amountCents: Int
        public let childcare: Bool

        /// "Activity · Child", as the invoice line keeps it.
        public var label: String { childName.isEmpty ? activityName : "\(activityName) · \(childName)" }
    }

    /// One family's invoice to be.
    public struct Draft: Sendable, Hashable {
        public let familyID: Int
        public let familyName: String
        public internal(set) var lines: [Line]
        public var totalCents: Int { lines.map(\.amountCents).reduce(0, +) }
    }

    public struct Preview: Sendable {
        public let month: Month
        public let drafts: [Draft]
        /// Dates of the month still waiting for a decision (requests, cancellations): they are
        /// billed by a later run once validated, not by this one.
        public let undecided: Int
        public var totalCents: Int { drafts.map(\.totalCents).reduce(0, +) }
        public var lineCount: Int { drafts.map(\.lines.count).reduce(0, +) }
    }

    /// What a run issued.
    public struct Run: Sendable, Hashable, Codable {
        public let id: Int?
        public let month: Month
        public let invoiceCount: Int
        public let totalCents: Int
        public let numbers: [String]
    }

    /// The validated dates of `month` (and those whose cancellation is still undecided: the
    /// place is held) that no invoice holds yet; a family's alone with `familyID`.
    public func billable(_ tx: Session, month: Month, familyID: Int? = nil) throws -> [Line] {
        try tx.query(
            """
            SELECT b.id AS booking_id, b.family_id, f.name AS family_name, b.child_id,
                coalesce(c.first_name || ' ' || c.last_name, '') AS child_name, a.name AS activity_name, b.day, b.price_cents,
                (x.declared_at AT TIME ZONE 'Europe/Paris')::date AS declared_on, x.document_id IS NOT NULL AS certified,
                coalesce(t.no_show, false) AS no_show,
                r.basis, r.certificate_days, r.absence_percent, r.childcare
            FROM bookings b
            JOIN families f ON f.id = b.family_id
            JOIN activities a ON a.id = b.activity_id
            LEFT JOIN children c ON c.id = b.child_id
            LEFT JOIN absences x ON x.booking_id = b.id
            LEFT JOIN attendance t ON t.booking_id = b.id
            LEFT JOIN billing_rules r ON r.activity_id = b.activity_id
            WHERE b.day >= \(month.first) AND b.day < \(month.next.first)
              AND b.status IN ('validated', 'cancel_requested')
              AND (\(familyID)::bigint IS NULL OR b.family_id = \(familyID))
              AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.booking_id = b.id AND l.rule <> 'credit')
            ORDER BY lower(f.name), f.id, b.day, lower(c.last_name), lower(c.first_name), lower(a.name), b.id
            """
        ).map { row in
            let rule =
                try row.decode("basis", as: String?.self) == nil ? BillingRule.standard : try BillingRuleStore.rule(row)
            let day: LocalDate = try row.decode("day")
            let price: Int = try row.decode("price_cents")
            let (lineRule, amount) = rule.bill(
                BillingRule.Facts(
                    day: day, priceCents: price, absenceDeclaredOn: try row.decode("declared_on"),
                    absenceCertified: try row.decode("certified"), noShow: try row.decode("no_show")))
            return Line(
                bookingID: try row.decode("booking_id"), familyID: try row.decode("family_id"),
                familyName: try row.decode("family_name"), childID: try row.decode("child_id"),
                childName: try row.decode("child_name"), activityName: try row.decode("activity_name"), day: day,
                priceCents: price, rule: lineRule, amountCents: amount, childcare: rule.childcare)
        }
    }

    public func preview(_ tx: Session, month: Month, familyID: Int? = nil) throws -> Preview {
        let lines = try billable(tx, month: month, familyID: familyID)
        var drafts: [Draft] = []
        // The lines come ordered by family: a new family starts a new draft.
        for line in lines {
            if drafts.last?.familyID == line.familyID {
                drafts[drafts.count - 1].lines.append(line)
            } else {
                drafts.append(Draft(familyID: line.familyID, familyName: line.familyName, lines: [line]))
            }
        }
        let undecided: Int = try tx.queryOne(
            """
            SELECT count(*)::int AS n FROM bookings
            WHERE day >= \(month.first) AND day < \(month.next.first) AND status = 'requested' AND family_id IS NOT NULL
              AND (\(familyID)::bigint IS NULL OR family_id = \(familyID))
            """
        ).decode("n")
        return Preview(month: month, drafts: drafts, undecided: undecided)
    }

    /// Issues the month's invoices, numbered in the series of `issuedOn`'s year. The series is
    /// locked before the lines are read: a concurrent run waits, then finds the lines taken
    /// and issues only what is left (nothing, for the same month), so a re-run is harmless.
    public func issue(
        _ tx: Session, month: Month, issuedOn: LocalDate, paymentDays: Int, by account: Account?, byLabel: String,
        familyID: Int? = nil
    ) throws -> Run {
        let counters = DocumentCounterStore()
        let year = issuedOn.year
        var last = try counters.lock(tx, series: .invoice, year: year)
        let drafts = try preview(tx, month: month, familyID: familyID).drafts
        guard !drafts.isEmpty else { return Run(id: nil, month: month, invoiceCount: 0, totalCents: 0, numbers: []) }
        let total = drafts.map(\.totalCents).reduce(0, +)
        let runID: Int = try tx.queryOne(
            """
            INSERT INTO invoicing_runs (month, run_by, run_by_label, invoice_count, total_cents)
            VALUES (\(month.first), \(account?.id), \(byLabel), \(drafts.count), \(total)) RETURNING id
            """
        ).decode("id")
        let invoices = InvoiceStore()
        let accounts = FamilyAccountStore()
        var numbers: [String] = []
        for draft in drafts {
            last += 1
            let number = DocumentNumber(series: .invoice, year: year, sequence: last)
            _ = try invoices.insert(
                tx, kind: .invoice, number: number, familyID: draft.familyID, familyName: draft.familyName,
                address: try invoices.billingAddress(tx, familyID: draft.familyID), month: month, issuedOn: issuedOn,
                dueOn: issuedOn.adding(days: paymentDays),
                lines: draft.lines.map {
                    InvoiceStore.NewLine(
                        bookingID: $0.bookingID, childID: $0.childID, day: $0.day, label: $0.label, rule: $0.rule,
                        priceCents: $0.priceCents, amountCents: $0.amountCents, childcare: $0.childcare)
                }, runID: runID, by: account?.id)
            numbers.append(number.description)
            // A family's credit (an overpayment) pays its new invoice at once, under the
            // family's lock like every other allocation (a desk may be recording a payment).
            _ = try accounts.lock(tx, familyID: draft.familyID)
            try accounts.applyCredit(tx, familyID: draft.familyID)
        }
        try counters.advance(tx, series: .invoice, year: year, to: last)
        return Run(id: runID, month: month, invoiceCount: drafts.count, totalCents: total, numbers: numbers)
    }
}
