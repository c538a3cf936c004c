import MarelleApp
import MarelleCore
import MarelleStore

/// "Attestation fiscale pour frais de garde" (CGI art. 200 quater B): what a family paid in a
/// year for the care of its children under 6 on 1 January. Several families' certificates go
/// in one file, a page each, for the January mailing.
public enum TaxCertificatePDF {
    public static func render(_ certificates: BillingDocuments.TaxCertificates, today: LocalDate) throws -> [UInt8] {
        let (issuer, year) = (certificates.issuer, certificates.year)
        let title = tr("PDF.tax_title", year)
        let canvas = try PDFCanvas(title: title, footer: Letterhead.footer(issuer))
        if certificates.families.isEmpty {
            Letterhead.draw(on: canvas, issuer: issuer, title: title, identity: [tr("PDF.made_on", today.french)], recipient: [])
            canvas.paragraph(tr("PDF.tax_none", year))
        }
        for certificate in certificates.families {
            canvas.startPage()
            draw(certificate, issuer: issuer, year: year, on: canvas, today: today)
        }
        return try canvas.finish()
    }

    private static func draw(
        _ certificate: BillingDocuments.TaxCertificate, issuer: CertificateStore.Issuer, year: Int, on canvas: PDFCanvas,
        today: LocalDate
    ) {
        var recipient = Letterhead.recipient(certificate.familyName, address: certificate.address)
        if !certificate.guardians.isEmpty { recipient.insert(certificate.guardians, at: 1) }
        Letterhead.draw(
            on: canvas, issuer: issuer, title: tr("PDF.tax_title", year),
            identity: [tr("PDF.tax_subtitle"), tr("PDF.made_on", today.french)], recipient: recipient)
        let payer = certificate.guardians.isEmpty ? certificate.familyName : certificate.guardians
        canvas.paragraph(tr("PDF.tax_statement", issuer.name, payer, year), size: 10.5, after: 10)
        let w = PDFCanvas.contentWidth
        let header: [PDFCanvas.Cell] = [
            .init(text: tr("PDF.column_child"), width: 0.5 * w), .init(text: tr("PDF.column_born_on"), width: 0.24 * w),
            .init(text: tr("PDF.column_paid"), width: 0.26 * w, align: .right),
        ]
        canvas.row(header, bold: true, shaded: true)
        for child in certificate.children {
            canvas.row(
                [
                    .init(text: "\(child.childFirstName) \(child.childLastName)", width: 0.5 * w),
                    .init(text: child.birthDate.french, width: 0.24 * w),
                    .init(text: Money(cents: child.paidCents).description, width: 0.26 * w, align: .right),
                ],
                repeatHeader: header)
        }
        canvas.space(6)
        InvoicePDF.total(canvas, tr("PDF.total"), certificate.totalCents, bold: true)
        canvas.space(12)
        canvas.paragraph(tr("PDF.tax_note", year), size: 8.5, after: 14)
        canvas.paragraph(tr("PDF.signature", issuer.name))
    }
}
