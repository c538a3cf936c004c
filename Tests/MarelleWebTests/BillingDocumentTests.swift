import Foundation
import HummingbirdTesting
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore
import MarelleTestSupport
import Testing

@Suite("Billing PDFs: invoice, receipt, tax and attendance certificates, read back with pdftotext; each family its own")
struct BillingDocumentTests {
    @Test("17 lines at 4,15 € make 70,55 € in the invoice's PDF; the receipt names the cheque; other families get 404")
    func invoiceAndReceipt() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let families = try await BillingFixtures.february(tenant)
            let token = try await ActivityAPITests().token(client, tenant, role: .direction)
            _ = try await client.json(.post, "/api/v1/invoicing-runs", host: host, body: #"{"month":"2027-02"}"#, token: token)
            let invoice = try #require(
                try await client.json(.get, "/api/v1/invoices", host: host, token: families[0].token).jsonArray()?.first)
            let (id, number) = (try #require(invoice["id"] as? Int), try #require(invoice["number"] as? String))

            let pdf = try await client.json(.get, "/api/v1/invoices/\(id)/pdf", host: host, token: families[0].token)
            #expect(pdf.status == .ok)
            let text = try await pdf.pdfText()
            #expect(text.contains("Facture \(number)") && text.contains("Famille 0") && text.contains("février 2027"))
            #expect(text.components(separatedBy: "4,15 €").count - 1 == 34, "17 lines, each its price and its amount")
            #expect(text.range(of: #"Total\s+70,55 €"#, options: .regularExpression) != nil)
            #expect(text.range(of: #"Reste à payer\s+70,55 €"#, options: .regularExpression) != nil)
            #expect(
                try await client.json(.get, "/api/v1/invoices/\(id)/pdf", host: host, token: families[1].token).status
                    == .notFound)

            let paid = try await client.json(
                .post, "/api/v1/families/\(families[0].familyID)/payments", host: host,
                body: #"{"method":"cheque","reference":"0012345","amountCents":8000}"#, token: token)
            let payment = try #require(paid.jsonObject())
            let paymentID = try #require(payment["id"] as? Int)
            let receipt = try await client.json(
                .get, "/api/v1/payments/\(paymentID)/receipt", host: host, token: families[0].token)
            let receiptText = try await receipt.pdfText()
            #expect(receiptText.contains(try #require(payment["receiptNumber"] as? String)))
            #expect(receiptText.contains("80,00 €") && receiptText.contains("chèque · 0012345") && receiptText.contains(number))
            #expect(receiptText.range(of: #"Avoir restant à la famille\s+9,45 €"#, options: .regularExpression) != nil)
            #expect(
                try await client.json(.get, "/api/v1/payments/\(paymentID)/receipt", host: host, token: families[1].token)
                    .status == .notFound)
            // The statement as CSV: the invoice as a debit, the cheque as a credit, the running balance.
            let ledger = try await client.json(.get, "/api/v1/family/ledger.csv", host: host, token: families[0].token)
            #expect(ledger.headers[.contentType] == "text/csv; charset=utf-8")
            let table = try CSVTable(parsing: ledger.text)
            #expect(
                table.header == ["date", "opération", "numéro", "débit (€)", "crédit (€)", "solde (€)"],
                "CSVTable lowercases the header")
            let rows = table.records.map(\.fields)
            #expect(rows.count == 2)
            #expect(rows.first?[1] == "Facture de février 2027" && rows.first?[3] == "70,55" && rows.first?[5] == "70,55")
            #expect(rows.last?[1] == "Paiement (chèque)" && rows.last?[4] == "80,00" && rows.last?[5] == "-9,45")
            let staffLedger = try await client.json(
                .get, "/api/v1/families/\(families[0].familyID)/ledger.csv", host: host, token: token)
            #expect(staffLedger.text == ledger.text)
            #expect(
                try await client.json(
                    .get, "/api/v1/families/\(families[0].familyID)/ledger.csv", host: host, token: families[1].token
                ).status == .forbidden)
            // Paid in full now: the invoice's PDF says so.
            let after = try await client.json(.get, "/api/v1/invoices/\(id)/pdf", host: host, token: token).pdfText()
            #expect(after.range(of: #"Reste à payer\s+0,00 €"#, options: .regularExpression) != nil && after.contains("payée"))
        }
    }

    /// A family with two children born on the edges of the tax rule, booked on a childcare
    /// activity and a meal, then half paid.
    @Test("the tax certificate counts what was paid, childcare only, for children under 6 on 1 January")
    func taxCertificate() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let year = ParisClock.date(of: Date()).year
            let families = try await BookingFixtures.families(tenant, count: 2)
            let database = try await TestEnvironment.runtime().database
            // Turns 6 on 2 January: under 6 on 1 January, counted. Turned 6 on 31 December: not.
            let older: Int = try await database.withTenant(try tenant.scope()) { tx in
                try tx.execute(
                    "UPDATE children SET first_name = 'Lina', birth_date = \(LocalDate(year: year - 6, month: 1, day: 2)!) WHERE id = \(families[0].childID)"
                )
                var draft = ChildDraft()
                (draft.firstName, draft.lastName, draft.birthDate, draft.level) = (
                    "Noé", "Test", LocalDate(year: year - 7, month: 12, day: 31), .cp
                )
                return try FamilyFileStore().addChild(tx, familyID: families[0].familyID, draft)
            }
            let care = try await BillingFixtures.activity(tenant)
            let meal = try await BillingFixtures.activity(
                tenant, name: "Cantine",
                rule: BillingRule(basis: .booked, certificateDays: 2, absencePercent: 100, childcare: false))
            let month = Month(of: LocalDate(year: year, month: 1, day: 1)!)
            let days = BillingFixtures.weekdays(of: month, count: 4)
            let lina = families[0]
            let noe = BookingFixtures.Family(familyID: lina.familyID, childID: older, accountID: 0, token: "")
            try await BillingFixtures.book(tenant, family: lina, activityID: care, days: days, cents: 1000)
            try await BillingFixtures.book(tenant, family: noe, activityID: care, days: days, cents: 1000)
            try await BillingFixtures.book(tenant, family: lina, activityID: meal, days: days, cents: 500)
            try await BillingFixtures.book(tenant, family: families[1], activityID: care, days: days, cents: 1000)
            let token = try await ActivityAPITests().token(client, tenant, role: .direction)
            _ = try await client.json(
                .post, "/api/v1/invoicing-runs", host: host, body: #"{"month":"\#(month.iso)"}"#, token: token)
            // 100 € invoiced (40 + 40 + 20), half paid: Lina's childcare share is 40 × 50 / 100 = 20 €.
            _ = try await client.json(
                .post, "/api/v1/families/\(lina.familyID)/payments", host: host, body: #"{"method":"cash","amountCents":5000}"#,
                token: token)

            let all = try await TestEnvironment.runtime().useCases.billingDocuments.taxCertificates(
                tenant: tenant, year: year, familyID: nil)
            #expect(all.families.count == 1, "the unpaid family has no certificate")
            let lines = try #require(all.families.first).children
            #expect(lines.map(\.childFirstName) == ["Lina"] && lines.map(\.paidCents) == [2000])
            let lastYear = try await TestEnvironment.runtime().useCases.billingDocuments.taxCertificates(
                tenant: tenant, year: year - 1, familyID: nil)
            #expect(lastYear.families.isEmpty, "paid this year, not last")

            let mine = try await client.json(.get, "/api/v1/tax-certificates?year=\(year)", host: host, token: lina.token)
            let text = try await mine.pdfText()
            #expect(text.contains("Attestation fiscale \(year)") && text.contains("Lina Test") && !text.contains("Noé"))
            #expect(text.range(of: #"Total\s+20,00 €"#, options: .regularExpression) != nil)
            // The other family's parent gets their own (empty) certificate, even naming Lina's family.
            let theirs = try await client.json(
                .get, "/api/v1/tax-certificates?year=\(year)&family=\(lina.familyID)", host: host, token: families[1].token)
            #expect(try await !theirs.pdfText().contains("Lina"))
            let bundle = try await client.json(.get, "/api/v1/tax-certificates?year=\(year)", host: host, token: token)
            #expect(try await bundle.pdfText().contains("Lina Test"))
            // January's bundle from the CLI: the same certificate, in a file.
            let file = NSTemporaryDirectory() + "fiscales-\(UUID().uuidString).pdf"
            defer { try? FileManager.default.removeItem(atPath: file) }
            let cli = try await Shell.marelle([
                "invoices", "tax-certificates", "--tenant", tenant.slug, "--year", String(year), "--output", file,
            ])
            #expect(cli.status == 0 && cli.output.contains("1 families"), "\(cli.errors)")
            let read = try await Shell.run("/usr/bin/pdftotext", ["-layout", file, "-"])
            #expect(read.output.contains("Lina Test") && read.output.contains("20,00 €"))
            #expect(
                try await Shell.marelle([
                    "invoices", "tax-certificates", "--tenant", tenant.slug, "--year", "1999", "--output", file,
                ])
                .status != 0)
            for junk in ["", "20x6", "1999", String(year + 1), "%00"] {
                let refused = try await client.json(.get, "/api/v1/tax-certificates?year=\(junk)", host: host, token: token)
                #expect(refused.status == .unprocessableContent, "\(junk)")
            }
            #expect(
                try await client.json(.get, "/api/v1/tax-certificates?year=\(year)&family=x", host: host, token: token).status
                    == .unprocessableContent)
        }
    }

    @Test("the attendance certificate counts the ticked hours and the booked slot, not a no-show; bad ranges refused")
    func attendanceCertificate() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let tenant = family.tenant
            let host = family.host
            let other = try await SignedInFamily.make(client, tenant: tenant, childFirstName: "Hugo")
            let activity = try await BillingFixtures.activity(tenant)
            let month = Month(of: ParisClock.date(of: Date())).previous
            let days = BillingFixtures.weekdays(of: month, count: 3)
            let ours = BookingFixtures.Family(familyID: family.familyID, childID: family.childID, accountID: 0, token: "")
            let bookings = try await BillingFixtures.book(tenant, family: ours, activityID: activity, days: days, cents: 415)
            // 16:00 to 18:45 on the first day (2 h 45), nothing ticked on the second (the slot, 2 h), a no-show on the third.
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                let arrived = ParisClock.instant(days[0], LocalTime(hour: 16, minute: 0)!)
                let left = ParisClock.instant(days[0], LocalTime(hour: 18, minute: 45)!)
                try tx.execute(
                    "INSERT INTO attendance (booking_id, arrived_at, left_at) VALUES (\(bookings[0]), \(arrived), \(left))")
                try tx.execute("INSERT INTO attendance (booking_id, no_show) VALUES (\(bookings[2]), true)")
            }
            let range = "du=\(month.first.iso)&au=\(month.last.iso)"
            let pdf = try await client.get(
                "/mes-factures/attestation-presence?enfant=\(family.childID)&\(range)", host: host, cookies: family.cookies)
            #expect(pdf.status == .ok)
            let text = try await pdf.pdfText()
            #expect(text.contains("Attestation de présence") && text.contains(month.first.french))
            #expect(text.range(of: #"Accueil du soir\s+2\s+4 h 45"#, options: .regularExpression) != nil, "\(text)")

            // Another family's child, a reversed range, a date that is not one: the page says why.
            let theirs = try await client.get(
                "/mes-factures/attestation-presence?enfant=\(other.childID)&\(range)", host: host, cookies: family.cookies)
            #expect(theirs.status == .unprocessableContent && theirs.text.contains("Choisissez un enfant de la famille"))
            let reversed = try await client.get(
                "/mes-factures/attestation-presence?enfant=\(family.childID)&du=\(month.last.iso)&au=\(month.first.iso)",
                host: host, cookies: family.cookies)
            #expect(reversed.status == .unprocessableContent && reversed.text.contains("doit suivre"))
            let junk = try await client.get(
                "/mes-factures/attestation-presence?enfant=\(family.childID)&du=hier&au=%3Cscript%3E", host: host,
                cookies: family.cookies)
            #expect(junk.status == .unprocessableContent && !junk.text.contains("<script>"))
            let noYear = try await client.get("/mes-factures/attestation-fiscale?annee=abc", host: host, cookies: family.cookies)
            #expect(noYear.status == .unprocessableContent && noYear.text.contains("Choisissez une année"))
            // The API: the other family's child is not found; the direction may ask for any child.
            let token = try await ActivityAPITests().token(client, tenant, role: .direction)
            let api = "/api/v1/attendance-certificates?child=\(family.childID)&from=\(month.first.iso)&to=\(month.last.iso)"
            #expect(try await client.json(.get, api, host: host, token: token).status == .ok)
            let parentToken = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try ApiTokenStore().issue(tx, accountID: other.account.id).token
            }
            #expect(try await client.json(.get, api, host: host, token: parentToken).status == .notFound)
            #expect(
                try await client.json(.get, "/api/v1/attendance-certificates?child=x", host: host, token: token).status
                    == .unprocessableContent)
        }
    }
}
