import MarelleApp
import MarelleCore
import MarelleStore

/// An invoice or a credit note as a PDF: the lines as issued, the total, and for an invoice
/// what has been paid and what is left to pay.
public enum InvoicePDF {
    public static func render(_ document: BillingDocuments.InvoiceDocument, today: LocalDate) throws -> [UInt8] {
        let invoice = document.invoice
        let isCredit = invoice.kind == .creditNote
        let title = isCredit ? tr("PDF.credit_note_title", invoice.number) : tr("PDF.invoice_title", invoice.number)
        let canvas = try PDFCanvas(title: title, footer: Letterhead.footer(document.issuer))
        var identity = [tr("PDF.issued_on", invoice.issuedOn.french), tr("PDF.period", invoice.month.name)]
        if isCredit {
            identity.append(tr("PDF.corrects", invoice.creditsNumber ?? ""))
        } else {
            identity.append(tr("PDF.due_on", invoice.dueOn.french))
        }
        Letterhead.draw(
            on: canvas, issuer: document.issuer, title: title, identity: identity,
            recipient: Letterhead.recipient(invoice.familyName, address: invoice.billingAddress))
        if let reason = invoice.reason { canvas.paragraph(tr("PDF.reason", reason), after: 10) }
        let header = columns(
            tr("PDF.column_date"), tr("PDF.column_label"), tr("PDF.column_rule"), tr("PDF.column_price"), tr("PDF.column_amount"))
        canvas.row(header, bold: true, shaded: true)
        for line in document.lines {
            let label = line.rule == .credit ? tr("PDF.credit_on", line.label) : line.label
            canvas.row(
                columns(
                    line.day?.french ?? "", label, line.rule.label, Money(cents: line.priceCents).description,
                    Money(cents: line.amountCents).description), repeatHeader: header)
        }
        canvas.space(6)
        total(canvas, tr("PDF.total"), invoice.totalCents, bold: true)
        if !isCredit {
            if invoice.creditedCents > 0 { total(canvas, tr("PDF.credited"), -invoice.creditedCents) }
            if invoice.paidCents > 0 { total(canvas, tr("PDF.paid"), -invoice.paidCents) }
            total(canvas, tr("PDF.to_pay"), invoice.owedCents, bold: true)
            canvas.space(8)
            canvas.paragraph(tr("PDF.status", invoice.status(today: today).label))
            if let notice = document.preNotification {
                canvas.paragraph(DirectDebits.sentence(notice, today: today))
            }
        }
        return try canvas.finish()
    }

    private static func columns(_ day: String, _ label: String, _ rule: String, _ price: String, _ amount: String)
        -> [PDFCanvas.Cell]
    {
        let w = PDFCanvas.contentWidth
        return [
            .init(text: day, width: 0.13 * w), .init(text: label, width: 0.43 * w), .init(text: rule, width: 0.18 * w),
            .init(text: price, width: 0.13 * w, align: .right), .init(text: amount, width: 0.13 * w, align: .right),
        ]
    }

    /// "Total 70,55 €" aligned under the amounts.
    static func total(_ canvas: PDFCanvas, _ label: String, _ cents: Int, bold: Bool = false) {
        let w = PDFCanvas.contentWidth
        canvas.row(
            [
                .init(text: label, width: 0.74 * w, align: .right),
                .init(text: Money(cents: cents).description, width: 0.26 * w, align: .right),
            ],
            bold: bold, size: 10)
    }
}
