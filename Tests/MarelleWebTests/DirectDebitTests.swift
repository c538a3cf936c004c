import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleSEPA
import MarelleStore
import MarelleTestSupport
import NIOCore
import Testing

@Suite("SEPA direct debit: mandates, batches, pain.008 checked before download, rejects and returns")
struct DirectDebitTests {
    static let ibanOne = "FR7630006000011234567890189"
    static let ibanTwo = "DE89370400440532013000"

    /// A collection date after every February invoice's due date (issued today, 30 days to pay).
    static var collectionDate: String { ParisClock.date(of: Date()).adding(days: 40).iso }

    struct Setup {
        let tenant: Tenant
        let host: String
        let families: [BookingFixtures.Family]
        let staffCookies: [String: String]
        let staffCSRF: String
        let token: String
        let invoices: [Int]
    }

    /// February invoiced to two families (70,55 € and 8,30 €), the creditor saved by the
    /// direction on its page.
    static func setup(_ client: WebClient) async throws -> Setup {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let (families, _, _) = try await BillingFixtures.issuedFebruary(tenant)
        let (cookies, csrf) = try await PrivacyAndReviewTests.staff(client, tenant)
        let token = try await ActivityAPITests().token(client, tenant, role: .direction)
        let saved = try await client.post(
            "/gestion/prelevements", host: host,
            form: [
                "_csrf": csrf, "creditorName": "Les P'tits Loups & Cie", "iban": "FR76 3000 6000 0112 3456 7890 189",
                "bic": "AGRIFRPP", "identifier": "FR72ZZZ123456", "enabled": "1",
            ], cookies: cookies)
        #expect(saved.status == .seeOther, "\(saved.text)")
        let invoices: [Int] = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try families.map { family in
                try tx.queryOne("SELECT id FROM invoices WHERE family_id = \(family.familyID)").decode("id")
            }
        }
        return Setup(
            tenant: tenant, host: host, families: families, staffCookies: cookies, staffCSRF: csrf, token: token,
            invoices: invoices)
    }

    @discardableResult
    static func inTenant<T: Sendable>(_ setup: Setup, _ body: @escaping @Sendable (Session) throws -> T) async throws -> T {
        try await TestEnvironment.runtime().database.withTenant(try setup.tenant.scope(), body)
    }

    static func owed(_ setup: Setup, _ invoiceID: Int) async throws -> Int {
        try await inTenant(setup) { tx in try #require(try InvoiceStore().find(tx, id: invoiceID)).owedCents }
    }

    /// Family 1 signs online (pages), family 2's paper mandate is entered by the direction (pages).
    static func mandates(_ client: WebClient, _ setup: Setup) async throws {
        let parent = try await BillingFixtures.parent(setup.tenant, setup.families[0])
        let hash = try await TestEnvironment.runtime().hasher.hash(AccountFixtures.password)
        try await inTenant(setup) { tx in try AccountStore().setPassword(tx, id: parent.id, hash: hash) }
        let session = try await AccountFixtures.sessionID(client, host: setup.host, email: parent.email)
        let cookies = [AccountFixtures.sessionCookie: session]
        let page = try await client.get("/mes-prelevements", host: setup.host, cookies: cookies)
        #expect(page.text.contains("Signer le mandat") && page.text.contains("FR72ZZZ123456"))
        let csrf = try #require(SignedInFamily.csrf(in: page.text))
        let wrong = try await client.post(
            "/mes-prelevements", host: setup.host,
            form: ["_csrf": csrf, "debtorName": "Élodie Müller", "iban": "FR7630006000011234567890188", "bic": "BNPAFRPP"],
            cookies: cookies)
        #expect(wrong.status == .unprocessableContent)
        #expect(wrong.text.contains("clé de contrôle") && wrong.text.contains("Cochez la case"))
        let signed = try await client.post(
            "/mes-prelevements", host: setup.host,
            form: ["_csrf": csrf, "debtorName": "Élodie Müller", "iban": ibanOne, "bic": "bnpafrpp", "agree": "1"],
            cookies: cookies)
        #expect(signed.status == .seeOther)
        let mine = try await client.get("/mes-prelevements", host: setup.host, cookies: cookies)
        #expect(mine.text.contains("FR76 •••• 0189") && mine.text.contains("Signé en ligne par"))
        #expect(!mine.text.contains(ibanOne), "the full IBAN is never shown back")
        let paper = try await client.post(
            "/gestion/familles/\(setup.families[1].familyID)/mandats", host: setup.host,
            form: [
                "_csrf": setup.staffCSRF, "debtorName": "Famille N'Diaye", "iban": ibanTwo, "bic": "COBADEFFXXX",
                "signedOn": "2026-09-01", "reference": "RUM-PAPIER-0042",
            ], cookies: setup.staffCookies)
        #expect(paper.status == .seeOther, "\(paper.text)")
    }

    @Test("a batch for two mandates: the file passes the ISO schema, the invoices are paid once; a camt.054 return re-opens one")
    func batchEndToEnd() async throws {
        try await WebTestServer.with { client in
            let setup = try await Self.setup(client)
            try await Self.mandates(client, setup)
            let record: (String, String?) = try await Self.inTenant(setup) { tx in
                let row = try tx.queryOne(
                    "SELECT source, signed_from FROM mandates WHERE family_id = \(setup.families[0].familyID)")
                return (try row.decode("source"), try row.decode("signed_from"))
            }
            #expect(record.0 == "online" && record.1 != nil)
            let invoicePage = try await client.get(
                "/gestion/factures/\(setup.invoices[0])", host: setup.host, cookies: setup.staffCookies)
            #expect(invoicePage.text.contains("70,55 € seront prélevés le"), "the pre-notification")

            let prepared = try await client.post(
                "/gestion/prelevements/lots", host: setup.host,
                form: ["_csrf": setup.staffCSRF, "collectionDate": Self.collectionDate], cookies: setup.staffCookies)
            #expect(prepared.status == .seeOther)
            let batchPath = try #require(prepared.headers[.location])
            let batchPage = try await client.get(batchPath, host: setup.host, cookies: setup.staffCookies)
            #expect(batchPage.text.contains("78,85 €") && batchPage.text.contains("RUM-PAPIER-0042"))

            let file = try await client.post(
                batchPath + "/fichier", host: setup.host, form: ["_csrf": setup.staffCSRF, "version": "pain.008.001.08"],
                cookies: setup.staffCookies)
            #expect(file.status == .ok)
            #expect(file.headers[.contentDisposition]?.contains(".pain.008.001.08.xml") == true)
            try SchemaValidator.validate(file.text, version: .v08)
            #expect(file.text.contains("<CtrlSum>78.85</CtrlSum>") && file.text.contains("<SeqTp>FRST</SeqTp>"))
            #expect(file.text.contains("<Nm>Elodie Muller</Nm>"))
            let owedAfter = [try await Self.owed(setup, setup.invoices[0]), try await Self.owed(setup, setup.invoices[1])]
            #expect(owedAfter == [0, 0])
            // Again, and in the older version: the same batch, no second payment.
            let again = try await client.post(
                batchPath + "/fichier", host: setup.host, form: ["_csrf": setup.staffCSRF, "version": "pain.008.001.08"],
                cookies: setup.staffCookies)
            #expect(again.text == file.text)
            let older = try await client.post(
                batchPath + "/fichier", host: setup.host, form: ["_csrf": setup.staffCSRF, "version": "pain.008.001.02"],
                cookies: setup.staffCookies)
            try SchemaValidator.validate(older.text, version: .v02)
            let payments: Int = try await Self.inTenant(setup) { tx in
                try tx.queryOne("SELECT count(*)::int AS n FROM payments WHERE method = 'direct_debit'").decode("n")
            }
            #expect(payments == 2)

            // The bank returns family 1's debit (insufficient funds) in a camt.054 notice.
            let endToEnd: String = try await Self.inTenant(setup) { tx in
                try tx.queryOne("SELECT end_to_end_id FROM debit_batch_lines WHERE invoice_id = \(setup.invoices[0])")
                    .decode("end_to_end_id")
            }
            let notice = Self.camt054(endToEnd: endToEnd, amount: "70.55", reason: "AM04")
            let imported = try await Multipart.post(
                client, "/gestion/prelevements/retours", host: setup.host, cookies: setup.staffCookies,
                fields: ["_csrf": setup.staffCSRF], fileName: "camt054.xml", bytes: notice, fileField: "avis")
            #expect(imported.status == .ok && imported.text.contains(endToEnd), "\(imported.text)")
            #expect(try await Self.owed(setup, setup.invoices[0]) == 7055)
            let twice = try await Multipart.post(
                client, "/gestion/prelevements/retours", host: setup.host, cookies: setup.staffCookies,
                fields: ["_csrf": setup.staffCSRF], fileName: "camt054.xml", bytes: notice, fileField: "avis")
            #expect(twice.text.contains("Déjà rejetés"))
            #expect(try await Self.owed(setup, setup.invoices[0]) == 7055, "a notice imported twice changes nothing")
            let (mandateState, rejects, mails): (String, Int, Int) = try await Self.inTenant(setup) { tx in
                let row = try tx.queryOne(
                    "SELECT state, rejects FROM mandates WHERE family_id = \(setup.families[0].familyID) ORDER BY id DESC LIMIT 1"
                )
                let mails: Int = try tx.queryOne(
                    "SELECT count(*)::int AS n FROM outbox WHERE kind = 'direct-debit-rejected'"
                ).decode("n")
                return (try row.decode("state"), try row.decode("rejects"), mails)
            }
            #expect(mandateState == "active" && rejects == 1 && mails == 1)
            let ledger = try await client.json(
                .get, "/api/v1/families/\(setup.families[0].familyID)/account", host: setup.host, token: setup.token)
            #expect(ledger.jsonObject()?["balanceCents"] as? Int == 7055)

            // Family 2's debit is rejected by hand: account closed ends the mandate.
            let lineID: Int = try await Self.inTenant(setup) { tx in
                try tx.queryOne("SELECT id FROM debit_batch_lines WHERE invoice_id = \(setup.invoices[1])").decode("id")
            }
            let closed = try await client.post(
                batchPath + "/lignes/\(lineID)/rejet", host: setup.host,
                form: ["_csrf": setup.staffCSRF, "reason": "AC04", "on": ParisClock.date(of: Date()).iso],
                cookies: setup.staffCookies)
            #expect(closed.status == .seeOther)
            #expect(try await Self.owed(setup, setup.invoices[1]) == 830)
            let revoked: String = try await Self.inTenant(setup) { tx in
                try tx.queryOne("SELECT state FROM mandates WHERE family_id = \(setup.families[1].familyID)").decode("state")
            }
            #expect(revoked == "revoked")

            // Presented again: family 1 only (family 2 has no mandate in force), FRST again.
            let next = try await client.json(
                .post, "/api/v1/direct-debit/batches", host: setup.host, body: #"{"collectionDate":"\#(Self.collectionDate)"}"#,
                token: setup.token)
            #expect(next.status == .created, "\(next.text)")
            let lines = try #require(next.jsonObject()?["lines"] as? [[String: Any]])
            #expect(lines.count == 1 && lines.first?["sequence"] as? String == "FRST")
            #expect(lines.first?["amountCents"] as? Int == 7055)
        }
    }

    static func camt054(endToEnd: String, amount: String, reason: String) -> [UInt8] {
        Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
              <BkToCstmrDbtCdtNtfctn>
                <GrpHdr><MsgId>AVIS-1</MsgId><CreDtTm>2027-03-09T08:00:00</CreDtTm></GrpHdr>
                <Ntfctn><Id>N1</Id>
                  <Ntry><Amt Ccy="EUR">\(amount)</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-01-02</Dt></BookgDt>
                    <NtryDtls><TxDtls>
                      <Refs><EndToEndId>\(endToEnd)</EndToEndId></Refs><Amt Ccy="EUR">\(amount)</Amt>
                      <RtrInf><Rsn><Cd>\(reason)</Cd></Rsn></RtrInf>
                    </TxDtls>
                    <TxDtls><Refs><EndToEndId>NOT-OURS-1</EndToEndId></Refs><RtrInf><Rsn><Cd>AM04</Cd></Rsn></RtrInf></TxDtls>
                    </NtryDtls>
                  </Ntry>
                </Ntfctn>
              </BkToCstmrDbtCdtNtfctn>
            </Document>
            """.utf8)
    }

    @Test("a batch whose mandate holds a bad IBAN gives no file: the reason is shown, nothing is paid, the batch stays a draft")
    func badIBANRefused() async throws {
        try await WebTestServer.with { client in
            let setup = try await Self.setup(client)
            try await Self.mandates(client, setup)
            // A value from before the checks (an old import): the database holds what it was given.
            try await Self.inTenant(setup) { tx in
                try tx.execute(
                    "UPDATE mandates SET iban = 'DE89370400440532013001' WHERE family_id = \(setup.families[1].familyID)")
            }
            let prepared = try await client.json(
                .post, "/api/v1/direct-debit/batches", host: setup.host, body: #"{"collectionDate":"\#(Self.collectionDate)"}"#,
                token: setup.token)
            let id = try #require(prepared.jsonObject()?["id"] as? Int)
            let page = try await client.post(
                "/gestion/prelevements/lots/\(id)/fichier", host: setup.host,
                form: ["_csrf": setup.staffCSRF, "version": "pain.008.001.08"], cookies: setup.staffCookies)
            #expect(page.status == .unprocessableContent)
            #expect(
                page.text.contains("Le fichier n&#39;a pas été produit") || page.text.contains("Le fichier n'a pas été produit"))
            #expect(
                page.text.contains("l&#39;IBAN du mandat est incorrect") || page.text.contains("l'IBAN du mandat est incorrect"))
            let api = try await client.json(
                .post, "/api/v1/direct-debit/batches/\(id)/file?version=pain.008.001.02", host: setup.host, token: setup.token)
            #expect(api.status == .unprocessableContent && api.headers[.contentType]?.contains("problem+json") == true)
            let (state, payments): (String, Int) = try await Self.inTenant(setup) { tx in
                (
                    try tx.queryOne("SELECT state FROM debit_batches WHERE id = \(id)").decode("state"),
                    try tx.queryOne("SELECT count(*)::int AS n FROM payments").decode("n")
                )
            }
            #expect(state == "draft" && payments == 0)
            #expect(try await Self.owed(setup, setup.invoices[0]) == 7055)
            // Removing the line lets the rest go.
            let lineID: Int = try await Self.inTenant(setup) { tx in
                try tx.queryOne("SELECT id FROM debit_batch_lines WHERE invoice_id = \(setup.invoices[1])").decode("id")
            }
            _ = try await client.post(
                "/gestion/prelevements/lots/\(id)/lignes/\(lineID)/retirer", host: setup.host,
                form: ["_csrf": setup.staffCSRF], cookies: setup.staffCookies)
            let file = try await client.json(
                .post, "/api/v1/direct-debit/batches/\(id)/file", host: setup.host, token: setup.token)
            #expect(file.status == .ok)
            try SchemaValidator.validate(file.text, version: .v08)
        }
    }

    @Test("other families' mandates, hostile inputs and two desks preparing at once")
    func boundaries() async throws {
        try await WebTestServer.with { client in
            let setup = try await Self.setup(client)
            try await Self.mandates(client, setup)
            let (one, two) = (setup.families[0], setup.families[1])
            let theirs: Int = try await Self.inTenant(setup) { tx in
                try tx.queryOne("SELECT id FROM mandates WHERE family_id = \(two.familyID)").decode("id")
            }
            let revoke = try await client.json(
                .post, "/api/v1/family/mandates/\(theirs)/revoke", host: setup.host, body: "{}", token: one.token)
            #expect(revoke.status == .notFound)
            let peek = try await client.json(
                .get, "/api/v1/families/\(two.familyID)/mandates", host: setup.host, token: one.token)
            #expect(peek.status == .forbidden)
            let list = try await client.json(.get, "/api/v1/family/mandates", host: setup.host, token: one.token)
            #expect(list.jsonArray()?.count == 1 && !list.text.contains(Self.ibanOne))
            for body in [
                #"{"debtorName":"","iban":"","bic":"","agree":true}"#,
                #"{"debtorName":"\#(String(repeating: "é", count: 5000))","iban":"FR76\#(String(repeating: "9", count: 300))","bic":"<script>","agree":true}"#,
                #"{"debtorName":"A\u0000B","iban":"FR7630006000011234567890189","bic":"BNPAFRPP","agree":true}"#,
                #"{"debtorName":"x","iban":12,"bic":null}"#, "[]", "not json",
            ] {
                let answer = try await client.json(
                    .post, "/api/v1/family/mandates", host: setup.host, body: body, token: one.token)
                #expect([400, 422].contains(answer.status.code), "\(body.prefix(60)): \(answer.status)")
            }
            for date in ["", "2020-01-01", "2027-02-30", "demain", String(repeating: "9", count: 400)] {
                let answer = try await client.json(
                    .post, "/api/v1/direct-debit/batches", host: setup.host, body: #"{"collectionDate":"\#(date)"}"#,
                    token: setup.token)
                #expect(answer.status == .unprocessableContent, "\(date.prefix(20))")
            }
            let badVersion = try await client.json(
                .post, "/api/v1/direct-debit/batches/1/file?version=pain.001", host: setup.host, token: setup.token)
            #expect(badVersion.status == .unprocessableContent)
            #expect(
                try await client.json(.get, "/api/v1/direct-debit/batches/999999", host: setup.host, token: setup.token).status
                    == .notFound)
            #expect(
                try await client.json(.get, "/api/v1/direct-debit/batches", host: setup.host, token: one.token).status
                    == .forbidden)
            #expect(
                try await client.json(.get, "/api/v1/families/999999/mandates", host: setup.host, token: setup.token).status
                    == .notFound)
            let junk = try await client.json(
                .post, "/api/v1/direct-debit/returns", host: setup.host, body: "<Document><a>", token: setup.token)
            #expect(junk.status == .unprocessableContent)

            // Two desks at once: one batch holds the invoices, the other finds nothing left.
            let body = #"{"collectionDate":"\#(Self.collectionDate)"}"#
            async let first = client.json(.post, "/api/v1/direct-debit/batches", host: setup.host, body: body, token: setup.token)
            async let second = client.json(
                .post, "/api/v1/direct-debit/batches", host: setup.host, body: body, token: setup.token)
            let statuses = [try await first.status, try await second.status].map(\.code).sorted()
            #expect(statuses == [201, 422])
            let presented: Int = try await Self.inTenant(setup) { tx in
                try tx.queryOne("SELECT count(*)::int AS n FROM debit_batch_lines").decode("n")
            }
            #expect(presented == 2)

            // Another association's batch id is not found from here.
            let other = try await Self.setup(client)
            let otherBatch = try await client.json(
                .post, "/api/v1/direct-debit/batches", host: setup.host, body: body, token: setup.token)
            _ = otherBatch
            let ids: [Int] = try await Self.inTenant(setup) { tx in
                try tx.query("SELECT id FROM debit_batches").map { try $0.decode("id") }
            }
            for id in ids {
                let crossed = try await client.json(
                    .get, "/api/v1/direct-debit/batches/\(id)", host: other.host, token: other.token)
                #expect(crossed.status == .notFound)
            }
        }
    }

    @Test("an erased family is never debited again: its draft lines and unused mandates go, a sent one is revoked and kept")
    func erasure() async throws {
        try await WebTestServer.with { client in
            let setup = try await Self.setup(client)
            try await Self.mandates(client, setup)
            let prepared = try await client.json(
                .post, "/api/v1/direct-debit/batches", host: setup.host, body: #"{"collectionDate":"\#(Self.collectionDate)"}"#,
                token: setup.token)
            let id = try #require(prepared.jsonObject()?["id"] as? Int)
            let (one, two) = (setup.families[0].familyID, setup.families[1].familyID)
            let export: String = try await Self.inTenant(setup) { tx in
                try #require(try FamilyRecords().export(tx, familyID: one)).json
            }
            #expect(export.contains("\"mandates\"") && export.contains("FR7630006000011234567890189"))
            try await Self.inTenant(setup) { tx in
                _ = try FamilyRecords().erase(tx, familyID: one)
            }
            let (lines, mandates): (Int, Int) = try await Self.inTenant(setup) { tx in
                (
                    try tx.queryOne("SELECT count(*)::int AS n FROM debit_batch_lines WHERE batch_id = \(id)").decode("n"),
                    try tx.queryOne("SELECT count(*)::int AS n FROM mandates").decode("n")
                )
            }
            #expect(lines == 1 && mandates == 1, "family 2's line and mandate stay")
            let file = try await client.json(
                .post, "/api/v1/direct-debit/batches/\(id)/file", host: setup.host, token: setup.token)
            #expect(file.status == .ok && !file.text.contains("Muller") && file.text.contains("N'Diaye"))
            // Family 2's mandate is named by a file sent to the bank: revoked, kept for its claims.
            try await Self.inTenant(setup) { tx in
                _ = try FamilyRecords().erase(tx, familyID: two)
            }
            let kept: [String] = try await Self.inTenant(setup) { tx in
                try tx.query("SELECT state FROM mandates").map { try $0.decode("state") }
            }
            #expect(kept == ["revoked"])
        }
    }
}
