import Foundation
import HummingbirdTesting
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("Overdue invoices: one reminder mail at D+N, and new bookings blocked above the threshold unless the direction overrides")
struct OverdueTests {
    static func settings(_ tenant: Tenant, paymentDays: Int, reminderDays: Int?, blockingCents: Int?) async throws {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try BillingSettingsStore().update(
                tx, .init(siret: nil, paymentDays: paymentDays, reminderDays: reminderDays, blockingCents: blockingCents),
                displayName: tenant.displayName)
        }
    }

    static func email(_ tenant: Tenant, _ family: BookingFixtures.Family) async throws -> String {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try #require(try AccountStore().list(tx, familyID: family.familyID).first).email
        }
    }

    @Test("the unpaid invoice is reminded once, on its day, in the parent's mail; the paid one is not")
    func reminders() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let families = try await BillingFixtures.february(tenant)
            try await Self.settings(tenant, paymentDays: 0, reminderDays: 3, blockingCents: nil)
            let token = try await ActivityAPITests().token(client, tenant, role: .direction)
            _ = try await client.json(.post, "/api/v1/invoicing-runs", host: host, body: #"{"month":"2027-02"}"#, token: token)
            _ = try await client.json(
                .post, "/api/v1/families/\(families[1].familyID)/payments", host: host,
                body: #"{"method":"cash","amountCents":830}"#, token: token)
            let runtime = try await TestEnvironment.runtime()
            let reminders = InvoiceReminders(database: runtime.database, mail: runtime.mail)
            let today = ParisClock.date(of: Date())
            // Due today: nothing on days 1 and 2 after, the reminder on day 3, never again.
            #expect(try await reminders.send(tenant: tenant, today: today.adding(days: 2)) == 0)
            #expect(try await reminders.send(tenant: tenant, today: today.adding(days: 3)) == 1)
            #expect(try await reminders.send(tenant: tenant, today: today.adding(days: 30)) == 0)
            let mails = try await AccountFixtures.mails(
                tenant, to: try await Self.email(tenant, families[0]), kind: "invoice-reminder")
            let mail = try #require(mails.first)
            #expect(mails.count == 1 && mail.subject.contains("en retard"))
            #expect(mail.body.contains("70,55 €") && mail.body.contains("/mes-factures/"))
            #expect(
                try await AccountFixtures.mails(tenant, to: try await Self.email(tenant, families[1]), kind: "invoice-reminder")
                    .isEmpty)
        }
    }

    @Test("above the threshold a parent's new dates are refused with the reason, cancellations pass; the direction may override")
    func blocking() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let (token, activityID, _) = try await BookingFixtures.activity(client, tenant, capacity: 5, mode: "automatic")
            let parent = try await SignedInFamily.make(client, tenant: tenant)
            let family = BookingFixtures.Family(
                familyID: parent.familyID, childID: parent.childID, accountID: parent.account.id,
                token: try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                    try ApiTokenStore().issue(tx, accountID: parent.account.id).token
                })
            try await Self.settings(tenant, paymentDays: 30, reminderDays: nil, blockingCents: 2000)
            // An invoice of last winter, 50 € still owed, 30 € of it paid.
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                let id: Int = try tx.queryOne(
                    """
                    INSERT INTO invoices (kind, number, family_id, family_name, month, issued_on, due_on, total_cents)
                    VALUES ('invoice', 'F2025-000001', \(family.familyID), 'Famille 0', '2025-01-01', '2025-02-01', '2025-03-03', 5000)
                    RETURNING id
                    """
                ).decode("id")
                try tx.execute(
                    """
                    INSERT INTO invoice_lines (invoice_id, position, label, rule, price_cents, amount_cents)
                    VALUES (\(id), 1, 'Accueil', 'full', 5000, 5000)
                    """)
            }
            let day = BookingFixtures.day(after: 14)
            func submit() async throws -> [[String: Any]] {
                _ = try await client.json(
                    .post, "/api/v1/basket/lines", host: host,
                    body: #"{"childId":\#(family.childID),"activityId":\#(activityID),"days":["\#(day.iso)"]}"#,
                    token: family.token)
                let answer = try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token)
                return answer.jsonObject()?["lines"] as? [[String: Any]] ?? []
            }
            // The Résumé says so before "Valider"; "Valider" refuses the date with the reason.
            _ = try await client.json(
                .post, "/api/v1/basket/lines", host: host,
                body: #"{"childId":\#(family.childID),"activityId":\#(activityID),"days":["\#(day.iso)"]}"#, token: family.token)
            let summary = try await client.get("/panier", host: host, cookies: parent.cookies)
            #expect(summary.text.contains("Réservations suspendues : 50,00 € de factures en retard"))
            let refused = try await submit()
            #expect(refused.first?["outcome"] as? String == "refused")
            #expect((refused.first?["reason"] as? String)?.contains("50,00 € de factures en retard") == true)
            // The direction books for the family past the block, with the override; without it, refused too.
            let plain = try await client.json(
                .post, "/api/v1/families/\(family.familyID)/bookings", host: host,
                body: #"{"childId":\#(family.childID),"activityId":\#(activityID),"days":["\#(day.iso)"]}"#, token: token)
            #expect((plain.jsonObject()?["lines"] as? [[String: Any]])?.first?["outcome"] as? String == "refused")
            let overridden = try await client.json(
                .post, "/api/v1/families/\(family.familyID)/bookings", host: host,
                body:
                    #"{"childId":\#(family.childID),"activityId":\#(activityID),"days":["\#(day.iso)"],"overrideDeadlines":true}"#,
                token: token)
            let booked = try #require((overridden.jsonObject()?["lines"] as? [[String: Any]])?.first)
            #expect(booked["outcome"] as? String == "validated")
            // Still blocked, the family may cancel.
            _ = try await client.json(
                .post, "/api/v1/basket/cancellations", host: host,
                body: #"{"bookingIds":[\#(try #require(booked["bookingId"] as? Int))]}"#, token: family.token)
            let cancelled = try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token)
            #expect(
                (cancelled.jsonObject()?["lines"] as? [[String: Any]])?.first?["outcome"] as? String == "cancelled",
                "\(cancelled.text)")
            // Paid down to 20 €, the threshold itself: the family books again.
            _ = try await client.json(
                .post, "/api/v1/families/\(family.familyID)/payments", host: host,
                body: #"{"method":"cash","amountCents":3000}"#, token: token)
            let later = BookingFixtures.day(after: 14, weekday: 2)
            _ = try await client.json(
                .post, "/api/v1/basket/lines", host: host,
                body: #"{"childId":\#(family.childID),"activityId":\#(activityID),"days":["\#(later.iso)"]}"#, token: family.token
            )
            let answer = try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token)
            let lines = answer.jsonObject()?["lines"] as? [[String: Any]] ?? []
            #expect(lines.contains { $0["outcome"] as? String == "validated" }, "\(answer.text)")
        }
    }
}
