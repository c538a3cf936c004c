import MarelleApp
import MarelleCore
import MarelleStore

/// "Attestation de présence": the days and hours a child attended over a range, for an
/// employer or the CAF.
public enum AttendanceCertificatePDF {
    public static func render(_ certificate: BillingDocuments.AttendanceCertificate, today: LocalDate) throws -> [UInt8] {
        let title = tr("PDF.attendance_title")
        let canvas = try PDFCanvas(title: title, footer: Letterhead.footer(certificate.issuer))
        Letterhead.draw(
            on: canvas, issuer: certificate.issuer, title: title, identity: [tr("PDF.made_on", today.french)],
            recipient: [certificate.familyName])
        let child = "\(certificate.childFirstName) \(certificate.childLastName)"
        canvas.paragraph(
            tr(
                "PDF.attendance_statement", certificate.issuer.name, child, certificate.birthDate.french,
                certificate.from.french, certificate.to.french), size: 10.5, after: 10)
        let w = PDFCanvas.contentWidth
        let header: [PDFCanvas.Cell] = [
            .init(text: tr("PDF.column_activity"), width: 0.56 * w),
            .init(text: tr("PDF.column_days"), width: 0.18 * w, align: .right),
            .init(text: tr("PDF.column_hours"), width: 0.26 * w, align: .right),
        ]
        canvas.row(header, bold: true, shaded: true)
        for activity in certificate.activities {
            canvas.row(
                [
                    .init(text: activity.name, width: 0.56 * w),
                    .init(text: String(activity.days), width: 0.18 * w, align: .right),
                    .init(text: hours(activity.minutes), width: 0.26 * w, align: .right),
                ],
                repeatHeader: header)
        }
        canvas.row(
            [
                .init(text: tr("PDF.total"), width: 0.56 * w),
                .init(text: String(certificate.days), width: 0.18 * w, align: .right),
                .init(text: hours(certificate.minutes), width: 0.26 * w, align: .right),
            ],
            bold: true, size: 10)
        canvas.space(12)
        canvas.paragraph(tr("PDF.attendance_note"), size: 8.5, after: 14)
        canvas.paragraph(tr("PDF.signature", certificate.issuer.name))
        return try canvas.finish()
    }

    /// "12 h 05".
    static func hours(_ minutes: Int) -> String {
        tr("PDF.hours", minutes / 60, (minutes % 60 < 10 ? "0" : "") + String(minutes % 60))
    }
}
