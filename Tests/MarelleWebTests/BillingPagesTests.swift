import Foundation
import HummingbirdTesting
import MarelleCore
import MarelleTestSupport
import Testing

@Suite("Facturation and Mes factures pages: the direction runs a month and records a cheque, a parent sees only their own")
struct BillingPagesTests {
    @Test("preview, issue, cheque at the desk, the parent's invoices and balance; other families and animateurs kept out")
    func journey() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let tenant = family.tenant
            let other = try await SignedInFamily.make(client, tenant: tenant, childFirstName: "Hugo")
            let activity = try await BillingFixtures.activity(tenant)
            let month = Month(iso: "2027-02")!
            let ours = BookingFixtures.Family(familyID: family.familyID, childID: family.childID, accountID: 0, token: "")
            try await BillingFixtures.book(
                tenant, family: ours, activityID: activity, days: BillingFixtures.weekdays(of: month, count: 17), cents: 415)
            let theirs = BookingFixtures.Family(familyID: other.familyID, childID: other.childID, accountID: 0, token: "")
            try await BillingFixtures.book(
                tenant, family: theirs, activityID: activity, days: BillingFixtures.weekdays(of: month, count: 2), cents: 415)
            let staff = try await PrivacyAndReviewTests.staff(client, tenant)
            let host = family.host

            let preview = try await client.get("/gestion/facturation?mois=2027-02", host: host, cookies: staff.cookies)
            #expect(preview.status == .ok)
            #expect(preview.text.contains("2 famille(s), 19 ligne(s), total 78,85 €") && preview.text.contains("70,55 €"))
            // Without the form's token nothing is issued.
            let forged = try await client.post(
                "/gestion/facturation", host: host, form: ["mois": "2027-02"], cookies: staff.cookies)
            #expect(forged.status == .forbidden)
            let junk = try await client.post(
                "/gestion/facturation", host: host, form: ["mois": "février", "_csrf": staff.csrf], cookies: staff.cookies)
            #expect(junk.status == .unprocessableContent && junk.text.contains("AAAA-MM"))
            let issued = try await client.post(
                "/gestion/facturation", host: host, form: ["mois": "2027-02", "_csrf": staff.csrf], cookies: staff.cookies)
            #expect(issued.status == .seeOther)
            let after = try await client.get(try #require(issued.headers[.location]), host: host, cookies: staff.cookies)
            #expect(
                after.text.contains("2 facture(s) émise(s)") && after.text.contains("-000001") && after.text.contains("-000002"))
            #expect(after.text.contains("Rien à facturer"))

            // A cheque without its number is refused and changes nothing; with it, it pays the invoice.
            let account = "/gestion/familles/\(family.familyID)"
            let refused = try await client.post(
                account + "/paiements", host: host, form: ["method": "cheque", "amount": "70,55", "_csrf": staff.csrf],
                cookies: staff.cookies)
            #expect(refused.status == .unprocessableContent && refused.text.contains("numéro du chèque"))
            let paid = try await client.post(
                account + "/paiements", host: host,
                form: ["method": "cheque", "reference": "0012345", "amount": "50", "_csrf": staff.csrf], cookies: staff.cookies)
            #expect(paid.status == .seeOther)
            let page = try await client.get(account + "/compte", host: host, cookies: staff.cookies)
            #expect(page.text.contains("Solde à payer : 20,55 €") && page.text.contains("partiellement payée"))
            // The statement: the invoice as a debit, the cheque as a credit, and no empty cell filled from the page.
            #expect(page.text.contains(#"data-label="Débit">70,55 €"#) && page.text.contains(#"data-label="Crédit">50,00 €"#))
            #expect(!page.text.contains(#"data-label="Crédit">0,00 €"#) && !page.text.contains(#"data-label="Débit">50,00 €"#))

            // The month's journal: each operation as a debit and a credit that balance.
            let current = Month(of: ParisClock.date(of: Date())).iso
            let journal = try await client.get(
                "/gestion/facturation/journal.csv?mois=\(current)", host: host, cookies: staff.cookies)
            #expect(journal.status == .ok && journal.headers[.contentType]?.hasPrefix("text/csv") == true)
            let rows: [[String]] = journal.text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
                .map { $0.components(separatedBy: ";") }
            #expect(rows.count == 6)  // two invoices and one cheque, two lines each
            let customer = "411F\(family.familyID)"
            #expect(rows.contains { row in row[1] == "VE" && row[2] == customer && row[4] == "70,55" })
            #expect(rows.contains { row in row[1] == "BQ" && row[2] == "512" && row[4] == "50,00" })
            func cents(_ text: String) -> Int { Int(text.replacingOccurrences(of: ",", with: "")) ?? -1 }
            let debits: Int = rows.map { cents($0[4]) }.reduce(0, +)
            let credits: Int = rows.map { cents($0[5]) }.reduce(0, +)
            #expect(debits == credits && debits == 7055 + 830 + 5000)
            #expect(
                try await client.get("/gestion/facturation/journal.csv", host: host, cookies: family.cookies).status == .forbidden
            )

            // The parent sees their invoice and balance, not the other family's.
            let mine = try await client.get("/mes-factures", host: host, cookies: family.cookies)
            #expect(mine.status == .ok && mine.text.contains("Solde à payer : 20,55 €") && mine.text.contains("70,55 €"))
            let link = try #require(
                mine.text.range(of: #"/mes-factures/\d+"#, options: .regularExpression).map { String(mine.text[$0]) })
            let invoice = try await client.get(link, host: host, cookies: family.cookies)
            #expect(invoice.status == .ok && invoice.text.contains("Léa Test") && invoice.text.contains("Reste à payer"))
            #expect(try await client.get(link, host: host, cookies: other.cookies).status == .notFound)
            #expect(try await client.get("/mes-factures/abc", host: host, cookies: family.cookies).status == .notFound)
            let theirsPage = try await client.get("/mes-factures", host: host, cookies: other.cookies)
            #expect(theirsPage.text.contains("8,30 €") && !theirsPage.text.contains("70,55 €"))
            // Parents do not reach the direction's pages; animateurs neither.
            #expect(try await client.get("/gestion/facturation", host: host, cookies: family.cookies).status == .forbidden)
            let animateur = try await PrivacyAndReviewTests.staff(client, tenant, role: .animateur)
            #expect(try await client.get("/gestion/facturation", host: host, cookies: animateur.cookies).status == .forbidden)
            #expect(try await client.get(account + "/compte", host: host, cookies: animateur.cookies).status == .forbidden)
        }
    }

    @Test("billing settings: SIRET and rules saved together or not at all; the next run uses the rule")
    func rules() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let activity = try await BillingFixtures.activity(tenant, name: "Cantine")
            let staff = try await PrivacyAndReviewTests.staff(client, tenant)
            let page = try await client.get("/gestion/facturation/reglages", host: host, cookies: staff.cookies)
            #expect(page.status == .ok && page.text.contains("Cantine") && page.text.contains(#"value="100""#))
            let wrong = try await client.post(
                "/gestion/facturation/reglages", host: host,
                form: [
                    "_csrf": staff.csrf, "siret": "1234", "paymentDays": "15", "activites": "\(activity)",
                    "basis_\(activity)": "attended", "certificate_\(activity)": "2", "percent_\(activity)": "150",
                    "reminderDays": "0", "blocking": "-5",
                ], cookies: staff.cookies)
            #expect(
                wrong.status == .unprocessableContent && wrong.text.contains("14 chiffres")
                    && wrong.text.contains("entre 0 et 100") && wrong.text.contains("entre 1 et 120")
                    && wrong.text.contains("jamais bloquer"))
            #expect(try await TestEnvironment.runtime().useCases.billing.rules(tenant: tenant).settings.paymentDays == 30)
            let saved = try await client.post(
                "/gestion/facturation/reglages", host: host,
                form: [
                    "_csrf": staff.csrf, "siret": "123 456 789 00012", "paymentDays": "15", "activites": "\(activity)",
                    "basis_\(activity)": "attended", "certificate_\(activity)": "3", "percent_\(activity)": "50",
                    "reminderDays": "10", "blocking": "150,5",
                ], cookies: staff.cookies)
            #expect(saved.status == .seeOther)
            let rules = try await TestEnvironment.runtime().useCases.billing.rules(tenant: tenant)
            #expect(rules.settings.siret == "12345678900012" && rules.settings.paymentDays == 15)
            #expect(rules.settings.reminderDays == 10 && rules.settings.blockingCents == 15050)
            let shown = try await client.get("/gestion/facturation/reglages", host: host, cookies: staff.cookies)
            #expect(shown.text.contains(#"value="150,50 €""#) && shown.text.contains(#"value="10""#))
            #expect(
                rules.activities.first?.rule
                    == BillingRule(basis: .attended, certificateDays: 3, absencePercent: 50, childcare: false))
            let animateur = try await PrivacyAndReviewTests.staff(client, tenant, role: .animateur)
            #expect(
                try await client.post(
                    "/gestion/facturation/reglages", host: host, form: ["_csrf": animateur.csrf, "siret": ""],
                    cookies: animateur.cookies
                ).status == .forbidden)
        }
    }
}
