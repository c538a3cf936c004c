import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Traitement des données, staff review of documents, staff family pages")
struct PrivacyAndReviewTests {
    static func staff(_ client: WebClient, _ tenant: Tenant, role: Role = .direction) async throws -> (
        cookies: [String: String], csrf: String
    ) {
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant, role: role)
        let session = try await AccountFixtures.sessionID(client, host: host, email: account.email)
        let page = try await client.get("/gestion/familles", host: host, cookies: [AccountFixtures.sessionCookie: session])
        return ([AccountFixtures.sessionCookie: session], try #require(SignedInFamily.csrf(in: page.text)))
    }

    @Test("a parent who has not accepted the current text is asked at login; a new version mails parents and asks again")
    func acceptance() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let parent = try await AccountFixtures.account(in: tenant)
            let first = try await AccountFixtures.login(client, host: host, email: parent.email)
            #expect(first.headers[.location] == "/traitement-des-donnees?suite=%2F")
            let session = try #require(first.setCookies[AccountFixtures.sessionCookie])
            let page = try await client.get(
                "/traitement-des-donnees?suite=/", host: host, cookies: [AccountFixtures.sessionCookie: session])
            #expect(page.text.contains("Version 1") && page.text.contains("J'ai lu et j'accepte"))
            let csrf = try #require(SignedInFamily.csrf(in: page.text))
            let unticked = try await client.post(
                "/traitement-des-donnees/accepter", host: host, form: ["_csrf": csrf, "version": "1"],
                cookies: [AccountFixtures.sessionCookie: session])
            #expect(unticked.status == .unprocessableContent)
            let bogus = try await client.post(
                "/traitement-des-donnees/accepter", host: host, form: ["_csrf": csrf, "version": "7", "accept": "on"],
                cookies: [AccountFixtures.sessionCookie: session])
            #expect(bogus.status == .unprocessableContent)
            let accepted = try await client.post(
                "/traitement-des-donnees/accepter", host: host,
                form: ["_csrf": csrf, "version": "1", "accept": "on", "suite": "/mon-compte"],
                cookies: [AccountFixtures.sessionCookie: session])
            #expect(accepted.status == .seeOther && accepted.headers[.location] == "/mon-compte")
            #expect(try await AccountFixtures.login(client, host: host, email: parent.email).headers[.location] == "/")
            // The direction publishes version 2: the parent is mailed and asked again.
            let (cookies, staffCSRF) = try await Self.staff(client, tenant)
            #expect(
                try await client.post(
                    "/gestion/traitement-des-donnees", host: host, form: ["_csrf": staffCSRF, "body": "  "], cookies: cookies
                )
                .status == .unprocessableContent)
            let published = try await client.post(
                "/gestion/traitement-des-donnees", host: host,
                form: ["_csrf": staffCSRF, "body": "Nouveau texte.\nDeuxième paragraphe."], cookies: cookies)
            #expect(published.status == .seeOther)
            let mail = try #require(try await AccountFixtures.latestMail(tenant, to: parent.email))
            #expect(mail.subject.contains("Traitement des données") && mail.body.contains("version (n° 2)"))
            #expect(
                try await AccountFixtures.login(client, host: host, email: parent.email).headers[.location]?.hasPrefix(
                    "/traitement-des-donnees") == true)
            // Animateurs read the history but may not publish.
            let (animateur, animateurCSRF) = try await Self.staff(client, tenant, role: .animateur)
            #expect(
                try await client.post(
                    "/gestion/traitement-des-donnees", host: host, form: ["_csrf": animateurCSRF, "body": "x"], cookies: animateur
                )
                .status == .forbidden)
        }
    }

    @Test("staff refuse a document with a reason (mailed to the family), accept another; each staff download is audited")
    func review() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            for name in ["vaccins.pdf", "assurance.pdf"] {
                #expect(
                    try await Multipart.post(
                        client, "/documents", host: family.host, cookies: family.cookies,
                        fields: ["_csrf": family.csrf, "kind": "vaccinations"], fileName: name, bytes: Multipart.pdf
                    ).status == .seeOther)
            }
            let documents = try await DocumentUploadTests.stored(family)
            let (cookies, csrf) = try await Self.staff(client, family.tenant)
            let list = try await client.get("/gestion/documents", host: family.host, cookies: cookies)
            #expect(list.text.contains("vaccins.pdf") && list.text.contains("assurance.pdf"))
            let refuse = documents.first { $0.fileName == "vaccins.pdf" }!,
                accept = documents.first { $0.fileName == "assurance.pdf" }!
            let noReason = try await client.post(
                "/gestion/documents/\(refuse.id)/decision", host: family.host,
                form: ["_csrf": csrf, "decision": "refuse"], cookies: cookies)
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("Indiquez le motif du refus"))
            #expect(
                try await client.post(
                    "/gestion/documents/\(refuse.id)/decision", host: family.host,
                    form: ["_csrf": csrf, "decision": "refuse", "reason": "Page illisible"], cookies: cookies
                ).status == .seeOther)
            #expect(
                try await client.post(
                    "/gestion/documents/\(accept.id)/decision", host: family.host,
                    form: ["_csrf": csrf, "decision": "accept"], cookies: cookies
                ).status == .seeOther)
            #expect(
                try await client.post(
                    "/gestion/documents/999999/decision", host: family.host,
                    form: ["_csrf": csrf, "decision": "accept"], cookies: cookies
                ).status == .notFound)
            let mail = try #require(try await AccountFixtures.latestMail(family.tenant, to: family.account.email))
            #expect(
                mail.subject.contains("document refusé") && mail.body.contains("Page illisible")
                    && mail.body.contains("vaccins.pdf"))
            let page = try await family.get(client, "/documents")
            #expect(page.text.contains("refusé — motif : Page illisible") && page.text.contains("accepté"))
            let download = try await client.get("/documents/\(accept.id)", host: family.host, cookies: cookies)
            #expect(download.status == .ok)
            let audit = try await family.inTenant { tx in try AuditLog().latest(tx, limit: 10) }
            #expect(audit.contains { $0.action == "document.download" && $0.subject == "document:\(accept.id)" })
            #expect(!audit.contains { $0.action == "document.download" && $0.actorID == family.account.id })
        }
    }

    @Test("the families list searches names and children; a family's page shows its file; animateurs cannot edit")
    func staffFamilies() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client, childFirstName: "Zéphyrin")
            let (cookies, csrf) = try await Self.staff(client, family.tenant)
            let found = try await client.get("/gestion/familles?q=z%C3%A9phy", host: family.host, cookies: cookies)
            #expect(found.text.contains("/gestion/familles/\(family.familyID)"))
            let none = try await client.get("/gestion/familles?q=personne%25", host: family.host, cookies: cookies)
            #expect(none.text.contains("Aucune famille ne correspond"))
            let page = try await client.get("/gestion/familles/\(family.familyID)", host: family.host, cookies: cookies)
            #expect(page.text.contains("Zéphyrin Test") && page.text.contains(family.account.email))
            #expect(try await client.get("/gestion/familles/999999", host: family.host, cookies: cookies).status == .notFound)
            // Staff correct a file without the parents' consents, and may set the quotient.
            let guardian = try #require(
                try await family.inTenant { tx in try FamilyFileStore().guardians(tx, familyID: family.familyID) }.first)
            let saved = try await client.post(
                "/gestion/familles/\(family.familyID)/responsables/\(guardian.id)", host: family.host,
                form: ["_csrf": csrf, "firstName": "Paul", "lastName": "Test", "mobilePhone": "0611223344", "quotient": "640"],
                cookies: cookies)
            #expect(saved.status == .seeOther)
            #expect(
                try await family.inTenant { tx in try FamilyFileStore().guardian(tx, id: guardian.id, familyID: family.familyID)
                }?.draft.quotient == 640)
            #expect(
                try await client.post(
                    "/gestion/familles/\(family.familyID)/notes", host: family.host,
                    form: ["_csrf": csrf, "notes": "Paiement par chèque"], cookies: cookies
                ).status == .seeOther)
            let (animateur, animateurCSRF) = try await Self.staff(client, family.tenant, role: .animateur)
            #expect(
                try await client.get("/gestion/familles/\(family.familyID)", host: family.host, cookies: animateur).status == .ok)
            #expect(
                try await client.post(
                    "/gestion/familles/\(family.familyID)/notes", host: family.host,
                    form: ["_csrf": animateurCSRF, "notes": "x"], cookies: animateur
                ).status == .forbidden)
            #expect(try await family.get(client, "/gestion/familles").status == .forbidden)
        }
    }

    @Test("the contact form mails the association; missing fields come back with messages")
    func contact() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let (cookies, csrf) = try await Self.staff(client, family.tenant)
            #expect(
                try await client.post(
                    "/gestion/association", host: family.host,
                    form: [
                        "_csrf": csrf, "displayName": "Les Lutins", "contactEmail": "pas une adresse",
                    ], cookies: cookies
                ).status == .unprocessableContent)
            #expect(
                try await client.post(
                    "/gestion/association", host: family.host,
                    form: [
                        "_csrf": csrf, "displayName": "Les Lutins", "contactEmail": "contact@lutins.fr", "openingHours": "9h-17h",
                    ], cookies: cookies
                ).status == .seeOther)
            let about = try await client.get("/association", host: family.host)
            #expect(about.text.contains("contact@lutins.fr") && about.text.contains("9h-17h"))
            let empty = try await family.post(client, "/contact", ["name": "Claire", "email": "", "subject": "", "message": ""])
            #expect(empty.status == .unprocessableContent && empty.text.contains("Indiquez l&#39;objet"))
            #expect(
                try await family.post(
                    client, "/contact",
                    [
                        "name": "Claire", "email": "claire@exemple.fr", "subject": "Question",
                        "message": "Bonjour, une question.",
                    ]
                ).status == .ok)
            let mail = try #require(try await AccountFixtures.latestMail(family.tenant, to: "contact@lutins.fr"))
            #expect(mail.body.contains("claire@exemple.fr") && mail.body.contains("Bonjour, une question."))
            // The API: the same rules, the account's address by default.
            let token = try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: family.account.id).token }
            let aboutAPI = try await client.json(.get, "/api/v1/association", host: family.host, token: token)
            #expect(aboutAPI.jsonObject()?["contactEmail"] as? String == "contact@lutins.fr")
            let bad = try await client.json(
                .post, "/api/v1/contact", host: family.host, body: #"{"subject":"","message":"x"}"#, token: token)
            #expect(bad.status == .unprocessableContent && bad.text.contains("subject"))
            #expect(
                try await client.json(
                    .post, "/api/v1/contact", host: family.host, body: #"{"subject":"Par l'API","message":"Bonjour"}"#,
                    token: token
                )
                .status == .accepted)
            #expect(
                try await AccountFixtures.latestMail(family.tenant, to: "contact@lutins.fr")?.body.contains(family.account.email)
                    == true)
        }
    }
}
