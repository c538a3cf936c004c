import Foundation

/// PayFiP, the Treasury's online payment for public bodies (DGFiP): one invoice per payment.
/// The web service `creerPaiementSecurise` gives an operation id (`idOp`) for the client
/// number, the invoice's reference and year and the amount; the parent pays on
/// `paiementws.web?idop=`; PayFiP posts the `idop` to the notification address, and
/// `recupererDetailPaiementSecurise` tells what happened (`resultrans` P: paid, R: refused,
/// A: abandoned). PayFiP signs nothing: the detail read back is the proof.
public struct PayFiPProvider: PaymentProvider {
    public let kind = ProviderKind.payfip
    /// The body's client number (numcli, six digits).
    let clientNumber: String
    /// T: test, X: activation, W: production.
    let mode: String
    let serviceURL: String
    let paymentPageURL: String
    let client: HTTPClient

    static let namespace =
        "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService"

    public init(
        clientNumber: String, mode: String, serviceURL: String = "https://www.payfip.gouv.fr/tpa/services/securite",
        paymentPageURL: String = "https://www.payfip.gouv.fr/tpa/paiementws.web", client: HTTPClient = .init()
    ) {
        (self.clientNumber, self.mode, self.serviceURL, self.paymentPageURL, self.client) = (
            clientNumber, mode, serviceURL, paymentPageURL, client
        )
    }

    /// PayFiP's reference of a debt: 6 to 30 letters and digits (the invoice number without its dash).
    public static func reference(ofInvoice number: String) -> String {
        String(number.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(30))
    }

    public func createCheckout(_ request: CheckoutRequest) async throws -> Checkout {
        guard let invoice = request.invoices.first, request.invoices.count == 1 else {
            throw ProviderFailure("PayFiP pays one invoice at a time")
        }
        let refdet = Self.reference(ofInvoice: invoice.number)
        guard refdet.count >= 6, request.amountCents >= 100 else { throw ProviderFailure("PayFiP refuses this invoice") }
        let fields: [(String, String)] = [
            ("exer", String(invoice.year)), ("mel", String((request.customerEmail ?? "").prefix(80))),
            ("montant", String(request.amountCents)), ("numcli", clientNumber),
            ("objet", String(Self.plain(request.description).prefix(100))), ("refdet", refdet), ("saisie", mode),
            ("urlnotif", request.notifyURL), ("urlredirect", request.returnURL),
        ]
        let answer = try await call("creerPaiementSecurise", fields)
        guard let idop = Self.value("idOp", in: answer), !idop.isEmpty else {
            throw ProviderFailure("PayFiP gave no operation id")
        }
        return Checkout(reference: idop, redirectURL: paymentPageURL + "?idop=" + FormEncoding.escape(idop))
    }

    public func status(ofCheckout reference: String) async throws -> ProviderStatus {
        let answer = try await call("recupererDetailPaiementSecurise", [("idOp", reference)])
        guard let result = Self.value("resultrans", in: answer) else {
            // No result yet: the parent has not finished on PayFiP's page.
            return ProviderStatus(state: .open, amountCents: 0, currency: "EUR", transactionReference: nil)
        }
        let state: ProviderStatus.State =
            switch result {
            case "P", "V": .paid
            case "R", "Z": .failed
            case "A": .expired
            default: .open
            }
        let amount = Int(Self.value("montant", in: answer) ?? "") ?? 0
        let authorisation = Self.value("numauto", in: answer).map { "numauto \($0)" }
        return ProviderStatus(
            state: state, amountCents: amount, currency: "EUR", transactionReference: authorisation ?? reference)
    }

    /// PayFiP posts `idop=<operation>` as a form; nothing else to check before reading it back.
    public func verify(body: [UInt8], headers: [String: String], now: Date) -> VerifiedNotification? {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].lowercased() == "idop" else { continue }
            let idop = (parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "")
            guard !idop.isEmpty, idop.count <= 64, idop.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            else { return nil }
            return VerifiedNotification(checkoutReference: idop, eventReference: "idop-\(idop)")
        }
        return nil
    }

    private func call(_ operation: String, _ fields: [(String, String)]) async throws -> String {
        let arguments = fields.map { "<\($0.0)>\(Self.escape($0.1))</\($0.0)>" }.joined()
        let envelope = """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pai="\(Self.namespace)">\
            <soapenv:Header/><soapenv:Body><pai:\(operation)><arg0>\(arguments)</arg0></pai:\(operation)></soapenv:Body>\
            </soapenv:Envelope>
            """
        let response = try await client.send(
            HTTPClient.Request(
                method: "POST", url: serviceURL,
                headers: [("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", "\"\"")], body: Array(envelope.utf8)))
        let text = response.text
        guard response.status == 200 else {
            let code = Self.value("code", in: text) ?? ""
            let label = Self.value("libelle", in: text) ?? ""
            throw ProviderFailure("PayFiP answered \(response.status) \(code) \(label)")
        }
        return text
    }

    /// The text of the first element named `name` (any namespace prefix), entities decoded.
    static func value(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<(?:[A-Za-z0-9_]+:)?\(name)(?:\\s[^>]*)?>", options: .regularExpression),
            let close = xml.range(
                of: "</(?:[A-Za-z0-9_]+:)?\(name)>", options: .regularExpression, range: open.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[open.upperBound..<close.lowerBound]).replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&apos;")
    }

    /// PayFiP's "objet" takes plain letters: accents folded, anything else a space.
    static func plain(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
        return String(folded.map { $0.isASCII && ($0.isLetter || $0.isNumber || " -.,".contains($0)) ? $0 : " " })
    }
}
