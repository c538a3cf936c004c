import MarelleCore
import MarelleStore

/// The top of every document: the association on the left (name, address, SIRET, how to reach
/// it), the document's title and numbers on the right; then whom it is for.
enum Letterhead {
    static func draw(
        on canvas: PDFCanvas, issuer: CertificateStore.Issuer, title: String, identity: [String], recipient: [String]
    ) {
        var left: [(String, Bool)] = [(issuer.name, true)]
        left += issuer.address.split(separator: "\n").map { (String($0), false) }
        if let siret = issuer.siret { left.append((tr("PDF.siret", siret), false)) }
        if !issuer.email.isEmpty { left.append((issuer.email, false)) }
        if !issuer.phone.isEmpty { left.append((issuer.phone, false)) }
        canvas.columns(left, [(title, true)] + identity.map { ($0, false) }, after: 18)
        if !recipient.isEmpty {
            canvas.columns([], recipient.enumerated().map { ($0.element, $0.offset == 0) }, after: 18)
        }
    }

    /// The line at the foot of each page.
    static func footer(_ issuer: CertificateStore.Issuer) -> String {
        [issuer.name, issuer.siret.map { tr("PDF.siret", $0) }].compactMap { $0 }.joined(separator: " · ")
    }

    /// The family's name, then its address lines.
    static func recipient(_ name: String, address: String) -> [String] {
        [name] + address.split(separator: "\n").map(String.init)
    }
}
