import MarelleApp
import MarelleCore
import MarelleStore

/// A payment's receipt: who paid, how, how much, and which invoices it settled.
public enum ReceiptPDF {
    public static func render(_ receipt: BillingDocuments.Receipt) throws -> [UInt8] {
        let payment = receipt.payment
        let title = tr("PDF.receipt_title", payment.receiptNumber)
        let canvas = try PDFCanvas(title: title, footer: Letterhead.footer(receipt.issuer))
        Letterhead.draw(
            on: canvas, issuer: receipt.issuer, title: title, identity: [tr("PDF.received_on", payment.receivedOn.french)],
            recipient: Letterhead.recipient(payment.familyName, address: receipt.address))
        canvas.paragraph(
            tr("PDF.receipt_statement", receipt.issuer.name, Money(cents: payment.amountCents).description, payment.familyName),
            size: 11, after: 10)
        var method = payment.method.label
        if !payment.reference.isEmpty { method += " · " + payment.reference }
        canvas.paragraph(tr("PDF.method", method), after: 12)
        let w = PDFCanvas.contentWidth
        let header: [PDFCanvas.Cell] = [
            .init(text: tr("PDF.column_invoice"), width: 0.74 * w),
            .init(text: tr("PDF.column_amount"), width: 0.26 * w, align: .right),
        ]
        if !receipt.allocations.isEmpty {
            canvas.row(header, bold: true, shaded: true)
            for allocation in receipt.allocations {
                canvas.row(
                    [
                        .init(text: allocation.number, width: 0.74 * w),
                        .init(text: Money(cents: allocation.amountCents).description, width: 0.26 * w, align: .right),
                    ],
                    repeatHeader: header)
            }
            canvas.space(6)
        }
        InvoicePDF.total(canvas, tr("PDF.amount_received"), payment.amountCents, bold: true)
        if payment.refundedCents > 0 { InvoicePDF.total(canvas, tr("PDF.refunded"), -payment.refundedCents) }
        if payment.remainingCents > 0 { InvoicePDF.total(canvas, tr("PDF.credit_left"), payment.remainingCents) }
        return try canvas.finish()
    }
}
