/// The customer-to-bank direct-debit message (ISO 20022 pain.008), in its 2019 version
/// (.001.08, the EPC rulebook's since November 2023) or its 2009 one (.001.02, for banks
/// still on it). `problems` is the rulebook's checks that no schema makes (IBAN checksums,
/// unique identifiers); `xml` writes one payment block per sequence type.
public enum Pain008 {
    public enum Problem: Sendable, Hashable {
        case creditorName, creditorIBAN, creditorBIC, creditorIdentifier, noTransaction
        case iban(endToEndID: String, debtor: String)
        case bic(endToEndID: String, debtor: String)
        case debtorName(endToEndID: String)
        case mandateReference(endToEndID: String, debtor: String)
        case amount(endToEndID: String, debtor: String)
        case duplicateEndToEndID(String)
    }

    public static func problems(_ file: DirectDebitFile) -> [Problem] {
        var problems: [Problem] = []
        if SEPAText.latin(file.creditor.name, max: 70).isEmpty { problems.append(.creditorName) }
        if (try? IBAN(file.creditor.iban)) == nil { problems.append(.creditorIBAN) }
        if (try? BIC(file.creditor.bic)) == nil { problems.append(.creditorBIC) }
        if (try? CreditorIdentifier(file.creditor.identifier)) == nil { problems.append(.creditorIdentifier) }
        if file.transactions.isEmpty { problems.append(.noTransaction) }
        var seen = Set<String>()
        for transaction in file.transactions {
            let id = transaction.endToEndID
            let debtor = transaction.debtorName
            if !seen.insert(id).inserted { problems.append(.duplicateEndToEndID(id)) }
            if (try? IBAN(transaction.iban)) == nil { problems.append(.iban(endToEndID: id, debtor: debtor)) }
            if (try? BIC(transaction.bic)) == nil { problems.append(.bic(endToEndID: id, debtor: debtor)) }
            if SEPAText.latin(debtor, max: 70).isEmpty { problems.append(.debtorName(endToEndID: id)) }
            if (try? MandateReference(transaction.mandateReference)) == nil {
                problems.append(.mandateReference(endToEndID: id, debtor: debtor))
            }
            if transaction.amountCents <= 0 || transaction.amountCents > 99_999_999_999 {
                problems.append(.amount(endToEndID: id, debtor: debtor))
            }
        }
        return problems
    }

    /// The file as the bank reads it: UTF-8, two-space indented, the same bytes for the same
    /// batch (golden files compare them).
    public static func xml(_ file: DirectDebitFile, version: DirectDebitFile.Version) -> String {
        var out = XMLWriter()
        out.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.open("Document", attributes: "xmlns=\"\(version.namespace)\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
        out.open("CstmrDrctDbtInitn")
        out.open("GrpHdr")
        out.element("MsgId", identifier(file.messageID))
        out.element("CreDtTm", file.createdAt)
        out.element("NbOfTxs", String(file.transactions.count))
        out.element("CtrlSum", decimal(file.totalCents))
        out.open("InitgPty")
        out.element("Nm", SEPAText.latin(file.creditor.name, max: 70))
        out.close("InitgPty")
        out.close("GrpHdr")
        for sequence in DirectDebitFile.Sequence.allCases {
            let transactions = file.transactions.filter { $0.sequence == sequence }
            guard !transactions.isEmpty else { continue }
            paymentBlock(&out, file: file, sequence: sequence, transactions: transactions, version: version)
        }
        out.close("CstmrDrctDbtInitn")
        out.close("Document")
        return out.text
    }

    static func paymentBlock(
        _ out: inout XMLWriter, file: DirectDebitFile, sequence: DirectDebitFile.Sequence,
        transactions: [DirectDebitFile.Transaction], version: DirectDebitFile.Version
    ) {
        let bicElement = version == .v08 ? "BICFI" : "BIC"
        out.open("PmtInf")
        out.element("PmtInfId", identifier("\(file.messageID)-\(sequence.rawValue)"))
        out.element("PmtMtd", "DD")
        out.element("BtchBookg", "true")
        out.element("NbOfTxs", String(transactions.count))
        out.element("CtrlSum", decimal(transactions.map(\.amountCents).reduce(0, +)))
        out.open("PmtTpInf")
        out.open("SvcLvl")
        out.element("Cd", "SEPA")
        out.close("SvcLvl")
        out.open("LclInstrm")
        out.element("Cd", "CORE")
        out.close("LclInstrm")
        out.element("SeqTp", sequence.rawValue)
        out.close("PmtTpInf")
        out.element("ReqdColltnDt", file.collectionDate)
        out.open("Cdtr")
        out.element("Nm", SEPAText.latin(file.creditor.name, max: 70))
        out.close("Cdtr")
        account(&out, "CdtrAcct", iban: file.creditor.iban)
        agent(&out, "CdtrAgt", bicElement: bicElement, bic: file.creditor.bic)
        out.element("ChrgBr", "SLEV")
        out.open("CdtrSchmeId")
        out.open("Id")
        out.open("PrvtId")
        out.open("Othr")
        out.element("Id", compact(file.creditor.identifier))
        out.open("SchmeNm")
        out.element("Prtry", "SEPA")
        out.close("SchmeNm")
        out.close("Othr")
        out.close("PrvtId")
        out.close("Id")
        out.close("CdtrSchmeId")
        for transaction in transactions {
            out.open("DrctDbtTxInf")
            out.open("PmtId")
            out.element("EndToEndId", identifier(transaction.endToEndID))
            out.close("PmtId")
            out.element("InstdAmt", decimal(transaction.amountCents), attributes: "Ccy=\"EUR\"")
            out.open("DrctDbtTx")
            out.open("MndtRltdInf")
            out.element("MndtId", transaction.mandateReference)
            out.element("DtOfSgntr", transaction.signedOn)
            out.element("AmdmntInd", "false")
            out.close("MndtRltdInf")
            out.close("DrctDbtTx")
            agent(&out, "DbtrAgt", bicElement: bicElement, bic: transaction.bic)
            out.open("Dbtr")
            out.element("Nm", SEPAText.latin(transaction.debtorName, max: 70))
            out.close("Dbtr")
            account(&out, "DbtrAcct", iban: transaction.iban)
            out.open("RmtInf")
            out.element("Ustrd", SEPAText.latin(transaction.remittance, max: 140))
            out.close("RmtInf")
            out.close("DrctDbtTxInf")
        }
        out.close("PmtInf")
    }

    static func account(_ out: inout XMLWriter, _ name: String, iban: String) {
        out.open(name)
        out.open("Id")
        out.element("IBAN", compact(iban))
        out.close("Id")
        out.close(name)
    }

    static func agent(_ out: inout XMLWriter, _ name: String, bicElement: String, bic: String) {
        out.open(name)
        out.open("FinInstnId")
        out.element(bicElement, compact(bic))
        out.close("FinInstnId")
        out.close(name)
    }

    /// Cents as the file's decimal amount: 1250 → 12.50.
    static func decimal(_ cents: Int) -> String {
        let units = cents / 100
        let rest = cents % 100
        return "\(units).\(rest < 10 ? "0" : "")\(rest)"
    }

    static func compact(_ text: String) -> String { String(text.uppercased().filter { !$0.isWhitespace }) }

    /// Message and transaction identifiers: the SEPA set without spaces, 35 characters.
    static func identifier(_ text: String) -> String {
        String(SEPAText.latin(text, max: 35).filter { $0 != " " })
    }
}

/// An indenting writer for the few elements pain.008 has. Element text is escaped even though
/// the SEPA set lets none of `&<>` through; quotes need no escape outside attributes.
struct XMLWriter {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ string: String) {
        text += String(repeating: "  ", count: depth) + string + "\n"
    }

    mutating func open(_ name: String, attributes: String = "") {
        line("<\(name)\(attributes.isEmpty ? "" : " " + attributes)>")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    mutating func element(_ name: String, _ value: String, attributes: String = "") {
        line("<\(name)\(attributes.isEmpty ? "" : " " + attributes)>\(Self.escape(value))</\(name)>")
    }

    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
