import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// What the PDF documents print, read in one transaction each: an invoice or credit note, a
/// payment's receipt, the tax certificate of a year and the attendance certificate of a
/// child. `familyID` set means a parent asking: another family's document is nil, as one
/// that does not exist.
public struct BillingDocuments: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct InvoiceDocument: Sendable {
        public let issuer: CertificateStore.Issuer
        public let invoice: InvoiceStore.Invoice
        public let lines: [InvoiceStore.Line]
        /// The SEPA pre-notification: when, how much and from which account it is debited.
        public let preNotification: DirectDebits.PreNotification?
    }

    public struct Receipt: Sendable {
        public let issuer: CertificateStore.Issuer
        public let payment: FamilyAccountStore.Payment
        public let address: String
        public let allocations: [(number: String, amountCents: Int)]
    }

    /// The tax certificates of a year: one per family, a line per child under 6 on 1 January.
    public struct TaxCertificates: Sendable {
        public let issuer: CertificateStore.Issuer
        public let year: Int
        public let families: [TaxCertificate]
    }

    public struct TaxCertificate: Sendable {
        public let familyName: String
        public let guardians: String
        public let address: String
        public let children: [CertificateStore.TaxLine]
        public var totalCents: Int { children.map(\.paidCents).reduce(0, +) }
    }

    public struct AttendanceCertificate: Sendable {
        public struct Activity: Sendable, Hashable {
            public let name: String
            public let days: Int
            public let minutes: Int
        }
        public let issuer: CertificateStore.Issuer
        public let familyName: String
        public let childFirstName: String
        public let childLastName: String
        public let birthDate: LocalDate
        public let from: LocalDate
        public let to: LocalDate
        public let activities: [Activity]
        public var days: Int { activities.map(\.days).reduce(0, +) }
        public var minutes: Int { activities.map(\.minutes).reduce(0, +) }
    }

    /// Refusals are billing's: not found, or the fields' problems.
    public typealias Failure = Billing.Failure

    public func invoice(tenant: Tenant, id: Int, familyID: Int?) async throws -> InvoiceDocument? {
        try await database.withTenant(try tenant.scope()) { tx in
            let store = InvoiceStore()
            guard let invoice = try store.find(tx, id: id, familyID: familyID) else { return nil }
            return InvoiceDocument(
                issuer: try CertificateStore().issuer(tx, fallbackName: tenant.displayName), invoice: invoice,
                lines: try store.lines(tx, invoiceID: id), preNotification: try DirectDebits.preNotification(tx, invoice: invoice)
            )
        }
    }

    public func receipt(tenant: Tenant, paymentID: Int, familyID: Int?) async throws -> Receipt? {
        try await database.withTenant(try tenant.scope()) { tx in
            guard let payment = try FamilyAccountStore().payment(tx, id: paymentID, familyID: familyID) else { return nil }
            let certificates = CertificateStore()
            return Receipt(
                issuer: try certificates.issuer(tx, fallbackName: tenant.displayName), payment: payment,
                address: try payment.familyID.map { try InvoiceStore().billingAddress(tx, familyID: $0) } ?? "",
                allocations: try certificates.allocations(tx, paymentID: paymentID))
        }
    }

    /// The years a tax certificate can be asked for: from 2000 to the current one.
    public static func year(_ text: String?, field: String, today: LocalDate) throws -> Int {
        guard let text, text.utf8.count == 4, let year = Int(text), (2000...today.year).contains(year) else {
            throw Failure.invalid([FieldProblem(field: field, message: tr("BillingDocuments.year_invalid", today.year))])
        }
        return year
    }

    /// The tax certificates of `year`, one per family that paid childcare for a child under 6
    /// (with `familyID`, that family's, or none).
    public func taxCertificates(tenant: Tenant, year: Int, familyID: Int?) async throws -> TaxCertificates {
        try await database.withTenant(try tenant.scope()) { tx in
            let certificates = CertificateStore()
            let issuer = try certificates.issuer(tx, fallbackName: tenant.displayName)
            var result: [TaxCertificate] = []
            for line in try certificates.taxLines(tx, year: year, familyID: familyID) {
                if let last = result.last, last.children.first?.familyID == line.familyID {
                    result[result.count - 1] = TaxCertificate(
                        familyName: last.familyName, guardians: last.guardians,
                        address: last.address, children: last.children + [line])
                } else {
                    result.append(
                        TaxCertificate(
                            familyName: line.familyName, guardians: line.guardians,
                            address: try InvoiceStore().billingAddress(tx, familyID: line.familyID), children: [line]))
                }
            }
            return TaxCertificates(issuer: issuer, year: year, families: result)
        }
    }

    /// The longest range an attendance certificate covers: a school year and a summer.
    static let longestRangeDays = 400

    /// The days and hours `childID` attended between `from` and `to` (ISO dates), counted as
    /// the CAF hours are (`CAFHours`), up to today: a day to come has not been attended.
    public func attendance(
        tenant: Tenant, childID: Int, familyID: Int?, from: String?, to: String?, today: LocalDate = ParisClock.date(of: Date())
    ) async throws -> AttendanceCertificate {
        var problems: [FieldProblem] = []
        let start = from.flatMap { LocalDate(iso: $0) }
        let end = to.flatMap { LocalDate(iso: $0) }
        if start == nil { problems.append(FieldProblem(field: "from", message: tr("BillingDocuments.date_invalid"))) }
        if end == nil { problems.append(FieldProblem(field: "to", message: tr("BillingDocuments.date_invalid"))) }
        if let start, let end {
            if end < start {
                problems.append(FieldProblem(field: "to", message: tr("BillingDocuments.range_reversed")))
            } else if end > start.adding(days: Self.longestRangeDays) {
                problems.append(FieldProblem(field: "to", message: tr("BillingDocuments.range_too_long", Self.longestRangeDays)))
            }
        }
        guard let start, let end, problems.isEmpty else { throw Failure.invalid(problems) }
        return try await database.withTenant(try tenant.scope()) { tx in
            guard let child = try CertificateStore().child(tx, id: childID, familyID: familyID) else { throw Failure.notFound }
            var activities: [AttendanceCertificate.Activity] = []
            let until = min(end, today)
            let rows = until < start ? [] : try ExportStore().attended(tx, from: start, to: until, childID: childID)
            for row in rows {
                guard
                    let minutes = CAFHours.minutes(
                        day: row.day, startsAt: row.startsAt, endsAt: row.endsAt, arrivedAt: row.arrivedAt,
                        leftAt: row.leftAt, noShow: row.noShow, declaredAbsent: row.declaredAbsent)
                else { continue }
                // Rows come by activity, then day.
                if let last = activities.last, last.name == row.activity {
                    activities[activities.count - 1] = .init(
                        name: last.name, days: last.days + 1, minutes: last.minutes + minutes)
                } else {
                    activities.append(.init(name: row.activity, days: 1, minutes: minutes))
                }
            }
            return AttendanceCertificate(
                issuer: try CertificateStore().issuer(tx, fallbackName: tenant.displayName),
                familyName: child.familyName, childFirstName: child.firstName, childLastName: child.lastName,
                birthDate: child.birthDate, from: start, to: end, activities: activities)
        }
    }
}
