/// What a direct-debit file says, before it is XML: the creditor (the association), the date
/// the bank is to collect, and one transaction per invoice. Values are kept as stored, not as
/// checked types, so that `Pain008.problems` can name what is wrong with each.
public struct DirectDebitFile: Sendable, Hashable {
    public enum Version: String, Sendable, CaseIterable, Hashable {
        case v08 = "pain.008.001.08"
        case v02 = "pain.008.001.02"

        public var namespace: String { "urn:iso:std:iso:20022:tech:xsd:\(rawValue)" }
        public var schemaName: String { "\(rawValue).xsd" }
    }

    /// FRST for a mandate's first collection (again after a rejected first one), RCUR after.
    public enum Sequence: String, Sendable, Hashable, CaseIterable {
        case first = "FRST", recurring = "RCUR"
    }

    public struct Creditor: Sendable, Hashable {
        public var name: String
        public var iban: String
        public var bic: String
        public var identifier: String
        public init(name: String, iban: String, bic: String, identifier: String) {
            self.name = name
            self.iban = iban
            self.bic = bic
            self.identifier = identifier
        }
    }

    public struct Transaction: Sendable, Hashable {
        public var endToEndID: String
        public var amountCents: Int
        public var mandateReference: String
        /// ISO date (2027-01-15).
        public var signedOn: String
        public var sequence: Sequence
        public var debtorName: String
        public var iban: String
        public var bic: String
        public var remittance: String
        public init(
            endToEndID: String, amountCents: Int, mandateReference: String, signedOn: String, sequence: Sequence,
            debtorName: String, iban: String, bic: String, remittance: String
        ) {
            self.endToEndID = endToEndID
            self.amountCents = amountCents
            self.mandateReference = mandateReference
            self.signedOn = signedOn
            self.sequence = sequence
            self.debtorName = debtorName
            self.iban = iban
            self.bic = bic
            self.remittance = remittance
        }
    }

    public var messageID: String
    /// ISO date and time, Paris time without offset (2027-02-20T10:15:00).
    public var createdAt: String
    /// ISO date.
    public var collectionDate: String
    public var creditor: Creditor
    public var transactions: [Transaction]

    public init(messageID: String, createdAt: String, collectionDate: String, creditor: Creditor, transactions: [Transaction]) {
        self.messageID = messageID
        self.createdAt = createdAt
        self.collectionDate = collectionDate
        self.creditor = creditor
        self.transactions = transactions
    }

    public var totalCents: Int { transactions.map(\.amountCents).reduce(0, +) }
}
