import Foundation
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("Invoicing: the monthly run, numbers without gaps, immutable invoices, credit notes")
struct InvoicingTests {
    static let month = Month(iso: "2027-02")!

    @Test("17 lines at 4,15 € make one invoice of 70,55 €; its lines sum to it; a re-run issues nothing")
    func seventeenLines() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let billing = try await TestEnvironment.runtime().useCases.billing
        let staff = try await BillingFixtures.staff(tenant)
        let family = try #require(try await BookingFixtures.families(tenant, count: 1).first)
        let activity = try await BillingFixtures.activity(tenant)
        try await BillingFixtures.book(
            tenant, family: family, activityID: activity, days: BillingFixtures.weekdays(of: Self.month, count: 17), cents: 415)
        // A refused date and one of the next month are not billed.
        try await BillingFixtures.book(
            tenant, family: family, activityID: activity, days: [BillingFixtures.weekdays(of: Self.month, count: 18)[17]],
            cents: 415, status: .refused)
        try await BillingFixtures.book(
            tenant, family: family, activityID: activity, days: [Self.month.next.first], cents: 415)

        let preview = try await billing.preview(tenant: tenant, month: Self.month)
        #expect(preview.drafts.count == 1 && preview.lineCount == 17 && preview.totalCents == 7055)
        // The preview issued nothing.
        #expect(try await billing.invoices(tenant: tenant, month: Self.month).isEmpty)

        let now = try #require(ISO8601DateFormatter().date(from: "2027-03-02T09:00:00Z"))
        let run = try await billing.issue(tenant: tenant, actor: .account(staff), month: Self.month, ip: nil, now: now)
        #expect(run.invoiceCount == 1 && run.totalCents == 7055 && run.numbers == ["F2027-000001"])
        let invoice = try #require(try await billing.invoices(tenant: tenant, month: Self.month).first)
        #expect(Money(cents: invoice.totalCents).description == "70,55 €")
        #expect(invoice.dueOn == LocalDate(iso: "2027-04-01"))
        let lines = try #require(try await billing.invoice(tenant: tenant, id: invoice.id, familyID: family.familyID)).lines
        #expect(lines.count == 17 && lines.map(\.amountCents).reduce(0, +) == invoice.totalCents)
        #expect(lines.allSatisfy { $0.rule == .full && $0.label == "Accueil du soir · Enfant0 Test" })

        let again = try await billing.issue(tenant: tenant, actor: .account(staff), month: Self.month, ip: nil, now: now)
        #expect(again.invoiceCount == 0 && again.numbers.isEmpty)
        #expect(try await billing.invoices(tenant: tenant, month: Self.month).count == 1)
        // Another family's number is not found for this family.
        #expect(try await billing.invoice(tenant: tenant, id: invoice.id, familyID: family.familyID + 1000) == nil)
    }

    @Test("concurrent runs of one month and of two months leave no gap and no duplicate")
    func concurrentRuns() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let billing = try await TestEnvironment.runtime().useCases.billing
        let families = try await BookingFixtures.families(tenant, count: 6)
        let activity = try await BillingFixtures.activity(tenant)
        for family in families {
            for month in [Self.month, Self.month.next] {
                try await BillingFixtures.book(
                    tenant, family: family, activityID: activity, days: BillingFixtures.weekdays(of: month, count: 3),
                    cents: 500)
            }
        }
        let runs = try await withThrowingTaskGroup(of: InvoicingStore.Run.self) { group in
            for month in [Self.month, Self.month, Self.month.next, Self.month.next, Self.month] {
                group.addTask { try await billing.issue(tenant: tenant, actor: .operator("test"), month: month, ip: nil) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(runs.map(\.invoiceCount).reduce(0, +) == 12)
        let year = ParisClock.date(of: Date()).year
        let numbers = runs.flatMap(\.numbers).sorted()
        #expect(numbers == (1...12).map { DocumentNumber(series: .invoice, year: year, sequence: $0).description })
        let stored =
            try await billing.invoices(tenant: tenant, month: Self.month)
            + billing.invoices(tenant: tenant, month: Self.month.next)
        #expect(stored.count == 12 && Set(stored.compactMap(\.familyID)).count == 6)
    }

    @Test("an issued invoice cannot be changed or deleted, not even in SQL; a credit note corrects it")
    func immutable() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let runtime = try await TestEnvironment.runtime()
        let billing = runtime.useCases.billing
        let staff = try await BillingFixtures.staff(tenant)
        let family = try #require(try await BookingFixtures.families(tenant, count: 1).first)
        let activity = try await BillingFixtures.activity(tenant)
        try await BillingFixtures.book(
            tenant, family: family, activityID: activity, days: BillingFixtures.weekdays(of: Self.month, count: 4), cents: 1000)
        _ = try await billing.issue(tenant: tenant, actor: .account(staff), month: Self.month, ip: nil)
        let invoice = try #require(try await billing.invoices(tenant: tenant, month: Self.month).first)
        for statement: SQL in [
            "UPDATE invoices SET total_cents = 1 WHERE id = \(invoice.id)",
            "UPDATE invoice_lines SET amount_cents = 1 WHERE invoice_id = \(invoice.id)",
            "DELETE FROM invoice_lines WHERE invoice_id = \(invoice.id)",
            "DELETE FROM invoices WHERE id = \(invoice.id)",
        ] {
            await #expect(throws: (any Error).self) {
                try await runtime.database.withTenant(try tenant.scope()) { tx in try tx.execute(statement) }
            }
        }
        // More than the invoice is refused; a part is a credit note that lowers what is owed.
        await #expect(throws: Billing.Failure.self) {
            try await billing.creditNote(
                tenant: tenant, staff: staff, invoiceID: invoice.id, amount: "40,01", reason: "Erreur", ip: nil)
        }
        await #expect(throws: Billing.Failure.self) {
            try await billing.creditNote(tenant: tenant, staff: staff, invoiceID: invoice.id, amount: "5", reason: " ", ip: nil)
        }
        let note = try await billing.creditNote(
            tenant: tenant, staff: staff, invoiceID: invoice.id, amount: "10,00", reason: "Sortie annulée", ip: nil)
        #expect(note.number.hasPrefix("A") && note.number.hasSuffix("-000001"))
        let after = try #require(try await billing.invoice(tenant: tenant, id: invoice.id, familyID: nil)).invoice
        #expect(after.totalCents == 4000 && after.creditedCents == 1000 && after.owedCents == 3000)
        let account = try #require(try await billing.account(tenant: tenant, familyID: family.familyID))
        #expect(account.balanceCents == 3000)
        // A family's erasure keeps the invoice (anonymised link), which the trigger allows.
        try await runtime.database.withTenant(try tenant.scope()) { tx in
            try tx.execute("DELETE FROM families WHERE id = \(family.familyID)")
        }
        let kept = try #require(try await billing.invoice(tenant: tenant, id: invoice.id, familyID: nil)).invoice
        #expect(kept.familyID == nil && kept.totalCents == 4000 && kept.familyName == "Famille 0")
    }

    @Test("absences: free with a certificate in time, else the rule's percentage; a no-show when billing attended days")
    func rules() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let runtime = try await TestEnvironment.runtime()
        let family = try #require(try await BookingFixtures.families(tenant, count: 1).first)
        let booked = try await BillingFixtures.activity(tenant, name: "Mercredi")
        let attended = try await BillingFixtures.activity(
            tenant, name: "Cantine",
            rule: BillingRule(basis: .attended, certificateDays: 2, absencePercent: 50, childcare: false))
        let days = BillingFixtures.weekdays(of: Self.month, count: 4)
        let ids = try await BillingFixtures.book(tenant, family: family, activityID: booked, days: days, cents: 1000)
        let meals = try await BillingFixtures.book(tenant, family: family, activityID: attended, days: days, cents: 415)
        try await runtime.database.withTenant(try tenant.scope()) { tx in
            let document: Int = try tx.queryOne(
                """
                INSERT INTO documents (family_id, kind, file_name, content_type, byte_size, sha256, content)
                VALUES (\(family.familyID), 'absence', 'certificat.pdf', 'application/pdf', 4, 'x', '\\x25504446') RETURNING id
                """
            ).decode("id")
            func absence(_ booking: Int, _ day: LocalDate, certified: Bool) throws {
                try tx.execute(
                    """
                    INSERT INTO absences (booking_id, family_id, reason, document_id, declared_at)
                    VALUES (\(booking), \(family.familyID), 'Malade', \(certified ? document : nil),
                        \(ParisClock.instant(day, LocalTime(hour: 12, minute: 0)!)))
                    """)
            }
            try absence(ids[0], days[0].adding(days: 2), certified: true)  // in time: free
            try absence(ids[1], days[1].adding(days: 3), certified: true)  // too late: 100 %
            try absence(ids[2], days[2], certified: false)  // no certificate: 100 %
            try absence(meals[0], days[0], certified: false)  // 50 % of 4,15 € = 2,08 €
            try tx.execute("INSERT INTO attendance (booking_id, no_show) VALUES (\(meals[1]), true)")  // 2,08 €
            try tx.execute("INSERT INTO attendance (booking_id, no_show) VALUES (\(ids[3]), true)")  // booked basis: 10 €
        }
        let preview = try await runtime.useCases.billing.preview(tenant: tenant, month: Self.month)
        let lines = try #require(preview.drafts.first?.lines)
        let byBooking = Dictionary(uniqueKeysWithValues: lines.map { ($0.bookingID, ($0.rule, $0.amountCents)) })
        #expect(byBooking[ids[0]]! == (.absenceExcused, 0))
        #expect(byBooking[ids[1]]! == (.absence, 1000))
        #expect(byBooking[ids[2]]! == (.absence, 1000))
        #expect(byBooking[ids[3]]! == (.full, 1000))
        #expect(byBooking[meals[0]]! == (.absence, 208))
        #expect(byBooking[meals[1]]! == (.noShow, 208))
        #expect(byBooking[meals[2]]! == (.full, 415))
        #expect(preview.totalCents == 0 + 1000 + 1000 + 1000 + 208 + 208 + 415 + 415)
        #expect(lines.filter { !$0.childcare }.count == 4)
    }

    @Test("the CLI: --dry-run issues nothing, the run issues, a second run issues nothing, a junk month is refused")
    func commandLine() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let family = try #require(try await BookingFixtures.families(tenant, count: 1).first)
        let activity = try await BillingFixtures.activity(tenant)
        try await BillingFixtures.book(
            tenant, family: family, activityID: activity, days: BillingFixtures.weekdays(of: Self.month, count: 17), cents: 415)
        func marelle(_ arguments: String...) async throws -> Shell.Result {
            try await Shell.marelle(["invoices", "run", "--tenant", tenant.slug] + arguments)
        }
        let dry = try await marelle("--month", "2027-02", "--dry-run")
        #expect(dry.status == 0 && dry.output.contains("1 invoices to issue, 17 lines, total 70,55 €"), "\(dry.errors)")
        let run = try await marelle("--month", "2027-02")
        #expect(run.status == 0 && run.output.contains("1 invoices issued") && run.output.contains("70,55 €"), "\(run.errors)")
        let again = try await marelle("--month", "2027-02")
        #expect(again.status == 0 && again.output.contains("0 invoices issued"))
        let junk = try await marelle("--month", "février")
        #expect(junk.status != 0 && junk.errors.contains("YYYY-MM"))
        #expect(try await TestEnvironment.runtime().useCases.billing.invoices(tenant: tenant, month: Self.month).count == 1)
    }
}
