import MarelleCore
import MarelleDatabase

/// What the certificates print: the childcare a family paid for in a year (the tax
/// certificate, CGI art. 200 quater B) and the days a child attended (the attendance
/// certificate, read through `ExportStore.attended`).
public struct CertificateStore: Sendable {
    public init() {}

    /// One child's line on a family's tax certificate.
    public struct TaxLine: Sendable, Hashable {
        public let familyID: Int
        public let familyName: String
        /// The parents as the family file names them ("Claire Martin, Paul Martin").
        public let guardians: String
        public let childID: Int
        public let childFirstName: String
        public let childLastName: String
        public let birthDate: LocalDate
        public let paidCents: Int
    }

    /// Per child under 6 on 1 January of `year`, what the family paid in that year for its
    /// childcare: each payment received in the year counts for the invoices it was allocated
    /// to, in proportion to the share of the invoice's total that is childcare for that child.
    /// Meals (an activity whose rule says it is not childcare), billed absences and no-shows
    /// (penalties) are left out; a credit note lowers every line of its invoice alike, so
    /// the share stays the same. With `familyID`, that family only.
    public func taxLines(_ tx: Session, year: Int, familyID: Int? = nil) throws -> [TaxLine] {
        guard let first = LocalDate(year: year, month: 1, day: 1), let last = LocalDate(year: year, month: 12, day: 31),
            let sixYearsBefore = LocalDate(year: year - 6, month: 1, day: 1)
        else { return [] }
        return try tx.query(
            """
            WITH paid AS (
                SELECT a.invoice_id, sum(a.amount_cents) AS cents
                FROM allocations a JOIN payments p ON p.id = a.payment_id
                WHERE p.received_on BETWEEN \(first) AND \(last)
                GROUP BY a.invoice_id
            ), childcare AS (
                SELECT l.invoice_id, l.child_id, sum(l.amount_cents) AS cents
                FROM invoice_lines l
                WHERE l.childcare AND l.rule IN ('full', 'absence-excused') AND l.child_id IS NOT NULL
                GROUP BY l.invoice_id, l.child_id
            )
            SELECT i.family_id, f.name AS family_name,
                   coalesce((SELECT string_agg(btrim(g.first_name || ' ' || g.last_name), ', ' ORDER BY g.id)
                             FROM guardians g WHERE g.family_id = i.family_id), '') AS guardians,
                   c.id AS child_id, c.first_name, c.last_name, c.birth_date,
                   sum(round(p.cents::numeric * k.cents / i.total_cents))::bigint AS paid_cents
            FROM childcare k
            JOIN invoices i ON i.id = k.invoice_id AND i.kind = 'invoice' AND i.total_cents > 0
            JOIN paid p ON p.invoice_id = i.id
            JOIN children c ON c.id = k.child_id
            JOIN families f ON f.id = i.family_id
            WHERE c.birth_date > \(sixYearsBefore) AND (\(familyID)::bigint IS NULL OR i.family_id = \(familyID))
            GROUP BY i.family_id, f.name, c.id, c.first_name, c.last_name, c.birth_date
            HAVING sum(round(p.cents::numeric * k.cents / i.total_cents)) > 0
            ORDER BY lower(f.name), i.family_id, c.birth_date, lower(c.first_name), c.id
            """
        ).map {
            TaxLine(
                familyID: try $0.decode("family_id"), familyName: try $0.decode("family_name"),
                guardians: try $0.decode("guardians"), childID: try $0.decode("child_id"),
                childFirstName: try $0.decode("first_name"), childLastName: try $0.decode("last_name"),
                birthDate: try $0.decode("birth_date"), paidCents: try $0.decode("paid_cents"))
        }
    }

    /// Which invoices a payment paid, and how much of each.
    public func allocations(_ tx: Session, paymentID: Int) throws -> [(number: String, amountCents: Int)] {
        try tx.query(
            """
            SELECT i.number, a.amount_cents FROM allocations a JOIN invoices i ON i.id = a.invoice_id
            WHERE a.payment_id = \(paymentID) ORDER BY i.issued_on, i.number
            """
        ).map { (try $0.decode("number"), try $0.decode("amount_cents")) }
    }
}

extension CertificateStore {
    /// Who issues the documents: printed at the top of every invoice, receipt and certificate.
    public struct Issuer: Sendable, Hashable {
        public let name: String
        public let address: String
        public let siret: String?
        public let email: String
        public let phone: String
    }

    /// The association's identity; `fallbackName` when its settings were never saved.
    public func issuer(_ tx: Session, fallbackName: String) throws -> Issuer {
        guard
            let row = try tx.queryFirst(
                "SELECT display_name, postal_address, siret, contact_email, phone FROM association_settings")
        else { return Issuer(name: fallbackName, address: "", siret: nil, email: "", phone: "") }
        return Issuer(
            name: try row.decode("display_name"), address: try row.decode("postal_address") ?? "",
            siret: try row.decode("siret"), email: try row.decode("contact_email") ?? "", phone: try row.decode("phone") ?? "")
    }
}

extension CertificateStore {
    public struct Child: Sendable, Hashable {
        public let firstName: String
        public let lastName: String
        public let birthDate: LocalDate
        public let familyName: String
    }

    /// A child named on a certificate; with `familyID`, only that family's.
    public func child(_ tx: Session, id: Int, familyID: Int?) throws -> Child? {
        try tx.queryFirst(
            """
            SELECT c.first_name, c.last_name, c.birth_date, f.name AS family FROM children c
            JOIN families f ON f.id = c.family_id
            WHERE c.id = \(id) AND (\(familyID)::bigint IS NULL OR c.family_id = \(familyID))
            """
        ).map {
            Child(
                firstName: try $0.decode("first_name"), lastName: try $0.decode("last_name"),
                birthDate: try $0.decode("birth_date"), familyName: try $0.decode("family"))
        }
    }
}
