import Foundation
import MarelleApp
import MarelleCore
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("Family accounts: payments at the desk, allocation, credit, refunds")
struct FamilyAccountTests {
    /// Three monthly invoices of 30, 20 and 10 €.
    static func threeInvoices(_ tenant: Tenant) async throws -> (BookingFixtures.Family, Account, [InvoiceStore.Invoice]) {
        let billing = try await TestEnvironment.runtime().useCases.billing
        let staff = try await BillingFixtures.staff(tenant)
        let family = try #require(try await BookingFixtures.families(tenant, count: 1).first)
        let activity = try await BillingFixtures.activity(tenant)
        var invoices: [InvoiceStore.Invoice] = []
        for (index, month) in ["2027-01", "2027-02", "2027-03"].compactMap(Month.init(iso:)).enumerated() {
            try await BillingFixtures.book(
                tenant, family: family, activityID: activity, days: BillingFixtures.weekdays(of: month, count: 3 - index),
                cents: 1000)
            _ = try await billing.issue(tenant: tenant, actor: .account(staff), month: month, ip: nil)
            invoices += try await billing.invoices(tenant: tenant, month: month).filter { $0.familyID == family.familyID }
        }
        return (family, staff, invoices)
    }

    @Test("a cheque of 70 € pays three invoices oldest first; the 10 € over stay as credit and pay the next invoice")
    func oldestFirst() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let billing = try await TestEnvironment.runtime().useCases.billing
        let (family, staff, invoices) = try await Self.threeInvoices(tenant)
        #expect(invoices.map(\.totalCents) == [3000, 2000, 1000])
        let payment = try await billing.recordPayment(
            tenant: tenant, staff: staff, familyID: family.familyID,
            draft: .init(method: "cheque", reference: "1234567", amount: "70"), ip: nil)
        #expect(payment.allocatedCents == 6000 && payment.remainingCents == 1000 && payment.receiptNumber.hasPrefix("R"))
        var account = try #require(try await billing.account(tenant: tenant, familyID: family.familyID))
        #expect(account.open.isEmpty && account.creditCents == 1000 && account.balanceCents == -1000)
        #expect(account.invoices.allSatisfy { $0.status(today: ParisClock.date(of: Date())) == .paid })
        // The next month's invoice of 15 € takes the 10 € of credit: 5 € left to pay.
        let april = Month(iso: "2027-04")!
        try await BillingFixtures.book(
            tenant, family: family, activityID: try await BillingFixtures.activity(tenant, name: "Avril"),
            days: BillingFixtures.weekdays(of: april, count: 3), cents: 500)
        _ = try await billing.issue(tenant: tenant, actor: .account(staff), month: april, ip: nil)
        account = try #require(try await billing.account(tenant: tenant, familyID: family.familyID))
        let next = try #require(account.open.first)
        #expect(next.totalCents == 1500 && next.paidCents == 1000 && next.owedCents == 500)
        #expect(next.status(today: next.issuedOn) == .partiallyPaid && account.creditCents == 0 && account.balanceCents == 500)
        #expect(account.ledger.entries.map(\.kind) == [.invoice, .invoice, .invoice, .payment, .invoice])
    }

    @Test("allocation by hand, and what the desk may not do: more than owed, someone else's invoice, junk amounts")
    func byHand() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let billing = try await TestEnvironment.runtime().useCases.billing
        let (family, staff, invoices) = try await Self.threeInvoices(tenant)
        let other = try await Self.threeInvoices(tenant)
        func pay(_ draft: Billing.PaymentDraft) async throws -> FamilyAccountStore.Payment {
            try await billing.recordPayment(tenant: tenant, staff: staff, familyID: family.familyID, draft: draft, ip: nil)
        }
        for (draft, field) in [
            (Billing.PaymentDraft(method: "cheque", amount: "10"), "reference"),
            (Billing.PaymentDraft(method: "bitcoin", amount: "10"), "method"),
            (Billing.PaymentDraft(method: "cash", amount: "-5"), "amount"),
            (Billing.PaymentDraft(method: "cash", amount: "1e9"), "amount"),
            (Billing.PaymentDraft(method: "cash", amount: "100001"), "amount"),
            (Billing.PaymentDraft(method: "cash", amount: "10", receivedOn: "2999-01-01"), "receivedOn"),
            (
                Billing.PaymentDraft(method: "cash", amount: "20", allocations: [invoices[2].id: "10,01"]),
                "allocations.\(invoices[2].id)"
            ),
            (
                Billing.PaymentDraft(method: "cash", amount: "10", allocations: [other.2[0].id: "5"]),
                "allocations.\(other.2[0].id)"
            ),
            (
                Billing.PaymentDraft(method: "cash", amount: "10", allocations: [invoices[0].id: "8", invoices[1].id: "8"]),
                "allocations"
            ),
        ] {
            do {
                _ = try await pay(draft)
                Issue.record("\(draft) was accepted")
            } catch Billing.Failure.invalid(let problems) {
                #expect(problems.map(\.field).contains(field), "\(problems)")
            }
        }
        var account = try #require(try await billing.account(tenant: tenant, familyID: family.familyID))
        #expect(account.payments.isEmpty && account.balanceCents == 6000)
        // 25 € in cash: 5 € on the newest invoice, 10 € on the middle one, 10 € left as credit.
        let payment = try await pay(
            .init(method: "cash", amount: "25", allocations: [invoices[2].id: "5", invoices[1].id: "10,00", invoices[0].id: ""]))
        #expect(payment.allocatedCents == 1500 && payment.remainingCents == 1000)
        account = try #require(try await billing.account(tenant: tenant, familyID: family.familyID))
        #expect(account.open.map(\.owedCents) == [3000, 1000, 500] && account.creditCents == 1000)
        // Credit goes back by refund, not beyond what there is.
        await #expect(throws: Billing.Failure.self) {
            try await billing.refund(
                tenant: tenant, staff: staff, familyID: family.familyID, method: "cash", amount: "10,01", ip: nil)
        }
        try await billing.refund(
            tenant: tenant, staff: staff, familyID: family.familyID, method: "transfer", amount: "10", ip: nil)
        account = try #require(try await billing.account(tenant: tenant, familyID: family.familyID))
        #expect(account.creditCents == 0 && account.balanceCents == 4500)
        #expect(account.ledger.entries.last?.kind == .refund)
    }

    @Test("a credit note on a paid invoice turns what was paid beyond it into credit, which pays the next open invoice")
    func creditNoteOnPaidInvoice() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let billing = try await TestEnvironment.runtime().useCases.billing
        let (family, staff, invoices) = try await Self.threeInvoices(tenant)
        _ = try await billing.recordPayment(
            tenant: tenant, staff: staff, familyID: family.familyID,
            draft: .init(method: "transfer", amount: "30", allocations: [invoices[0].id: "30"]), ip: nil)
        _ = try await billing.creditNote(
            tenant: tenant, staff: staff, invoiceID: invoices[0].id, amount: "10", reason: "Journée non assurée", ip: nil)
        let account = try #require(try await billing.account(tenant: tenant, familyID: family.familyID))
        let first = try #require(account.invoices.first { $0.id == invoices[0].id })
        #expect(first.paidCents == 2000 && first.creditedCents == 1000 && first.owedCents == 0)
        let second = try #require(account.invoices.first { $0.id == invoices[1].id })
        #expect(second.paidCents == 1000 && second.owedCents == 1000)
        #expect(account.balanceCents == 2000 && account.creditCents == 0)
    }
}
