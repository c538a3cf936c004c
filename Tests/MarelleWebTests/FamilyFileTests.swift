import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Mon compte: the family file, its consents and its audit")
struct FamilyFileTests {
    static func childForm(_ overrides: [String: String] = [:]) -> [String: String] {
        var form = [
            "firstName": "Léa", "lastName": "Test", "birthDate": "2020-03-14", "sex": "F", "school": "École Jean Macé",
            "level": "MS",
            "allergies": "Arachide, kiwi", "diet": "sans porc", "pai": "oui", "doctor": "Dr Morel 04 78 00 00 00",
            "vaccinations": "oui",
            "photoConsent": "non", "mayLeaveAlone": "non", "pickup1Name": "Jeanne Test", "pickup1Phone": "0612345678",
            "pickup1Relationship": "grand-mère", "certify": "on", "acceptPrivacy": "on", "privacyVersion": "1",
        ]
        for (k, v) in overrides { form[k] = v }
        return form
    }

    @Test("Mon compte shows one card per parent and per child, each with its edit link")
    func cards() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let page = try await family.get(client, "/mon-compte")
            #expect(page.status == .ok)
            #expect(page.text.contains("Responsables légaux") && page.text.contains("Léa Test"))
            #expect(page.text.contains("/mon-compte/enfants/\(family.childID)"))
            #expect(page.text.contains("Dossier à compléter"))  // the invited parent's empty card
            #expect(page.text.contains("Transmettre des documents"))
            let participants = try await family.get(client, "/les-participants")
            #expect(participants.text.contains("Léa Test") && !participants.text.contains("Responsables légaux"))
            let parents = try await family.get(client, "/les-parents")
            #expect(parents.text.contains("Responsables légaux") && !parents.text.contains("Léa Test"))
        }
    }

    @Test("Valider without the two boxes, or with a birth date in the future, keeps every value, says why, changes nothing")
    func refusedChildEdits() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let path = "/mon-compte/enfants/\(family.childID)"
            let unchecked = try await family.post(
                client, path, Self.childForm(["certify": "", "acceptPrivacy": ""]).filter { !$0.value.isEmpty })
            #expect(unchecked.status == .unprocessableContent)
            #expect(unchecked.text.contains("Cochez cette case pour certifier"))
            #expect(unchecked.text.contains("Cochez cette case pour accepter le traitement"))
            #expect(unchecked.text.contains("value=\"Dr Morel 04 78 00 00 00\""))  // kept
            #expect(unchecked.text.contains("Arachide, kiwi"))
            let future = try await family.post(client, path, Self.childForm(["birthDate": "2099-01-01", "pickup1Phone": "12"]))
            #expect(future.status == .unprocessableContent)
            #expect(future.text.contains("La date de naissance ne peut pas être dans le futur."))
            #expect(future.text.contains("Indiquez un numéro de téléphone valide pour cette personne."))
            let (child, consents) = try await family.inTenant { tx in
                (
                    try FamilyFileStore().child(tx, id: family.childID, familyID: family.familyID),
                    try PrivacyStore().consents(tx, familyID: family.familyID)
                )
            }
            #expect(child?.draft.allergies == "Arachide")
            #expect(child?.draft.pickups.isEmpty == true)
            #expect(consents.isEmpty)
        }
    }

    @Test("a valid edit stores the file, a consent with the text's version, and the health change with old and new values")
    func savedChildEdit() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let saved = try await family.post(client, "/mon-compte/enfants/\(family.childID)", Self.childForm())
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/mon-compte?enregistre=1")
            let (child, consents, audit) = try await family.inTenant { tx in
                (
                    try FamilyFileStore().child(tx, id: family.childID, familyID: family.familyID),
                    try PrivacyStore().consents(tx, familyID: family.familyID), try AuditLog().latest(tx, limit: 5)
                )
            }
            let draft = try #require(child?.draft)
            #expect(
                draft.allergies == "Arachide, kiwi" && draft.hasPAI && draft.level == .ms && draft.vaccinationsUpToDate == true)
            #expect(draft.pickups == [.init(name: "Jeanne Test", phone: "06 12 34 56 78", relationship: "grand-mère")])
            let consent = try #require(consents.last)
            #expect(
                consent.subject == "child:\(family.childID)" && consent.certified && consent.version == 1
                    && consent.accountID == family.account.id)
            #expect(abs(consent.acceptedAt.timeIntervalSinceNow) < 300)
            let entry = try #require(audit.first { $0.action == "child.update" })
            #expect(entry.subject == "child:\(family.childID)")
            #expect(
                entry.detail.contains("\"allergies.old\": \"Arachide\"")
                    && entry.detail.contains("\"allergies.new\": \"Arachide, kiwi\""))
            #expect(entry.detail.contains("\"pai.new\": \"oui\""))
        }
    }

    @Test("a child of another family or of another tenant is a 404 and nothing changes")
    func foreignChild() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let neighbour = try await SignedInFamily.make(client, tenant: family.tenant, childFirstName: "Voisin")
            let elsewhere = try await SignedInFamily.make(client, childFirstName: "Ailleurs")
            // Ids count per schema: the other tenant's child gets an id this tenant has not used.
            let foreignID = try await FamilyFixtures.childBeyond(neighbour.childID, in: elsewhere)
            for id in [neighbour.childID, foreignID, 999_999_999] {
                #expect(try await family.get(client, "/mon-compte/enfants/\(id)").status == .notFound)
                #expect(try await family.post(client, "/mon-compte/enfants/\(id)", Self.childForm()).status == .notFound)
            }
            let untouched = try await neighbour.inTenant { tx in
                try FamilyFileStore().child(tx, id: neighbour.childID, familyID: neighbour.familyID)
            }
            #expect(untouched?.draft.firstName == "Voisin" && untouched?.draft.allergies == "Arachide")
            // Staff paths are the staff's: a parent gets 403 there.
            #expect(
                try await family.get(client, "/gestion/familles/\(neighbour.familyID)/enfants/\(neighbour.childID)").status
                    == .forbidden)
        }
    }

    @Test("a parent completes their card; the quotient familial stays the association's to set")
    func guardianCard() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let guardian = try #require(
                try await family.inTenant { tx in try FamilyFileStore().guardians(tx, familyID: family.familyID) }.first)
            let path = "/mon-compte/responsables/\(guardian.id)"
            let form = [
                "civility": "Mme", "firstName": "Claire", "lastName": "Test", "email": family.account.email,
                "mobilePhone": "+33 6 12 34 56 78",
                "postalCode": "6900", "quotient": "12", "certify": "on", "acceptPrivacy": "on",
            ]
            let bad = try await family.post(client, path, form)
            #expect(bad.status == .unprocessableContent && bad.text.contains("Le code postal a 5 chiffres."))
            var good = form
            good["postalCode"] = "69003"
            #expect(try await family.post(client, path, good).status == .seeOther)
            let stored = try #require(
                try await family.inTenant { tx in try FamilyFileStore().guardian(tx, id: guardian.id, familyID: family.familyID) }
            )
            #expect(
                stored.draft.firstName == "Claire" && stored.draft.mobilePhone == "06 12 34 56 78" && stored.draft.quotient == nil
            )
        }
    }

    @Test("the API saves the same file with the same rules, consents included")
    func api() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let token = try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: family.account.id).token }
            let shown = try await client.json(.get, "/api/v1/family", host: family.host, token: token)
            #expect(shown.status == .ok)
            #expect((shown.jsonObject()?["children"] as? [[String: Any]])?.first?["firstName"] as? String == "Léa")
            let body =
                #"{"firstName":"Léa","lastName":"Test","birthDate":"2020-03-14","level":"MS","allergies":"aucune","hasPAI":false,"pickups":[{"name":"Jeanne","phone":"0612345678"}]"#
            let refused = try await client.json(
                .put, "/api/v1/family/children/\(family.childID)", host: family.host, body: body + "}", token: token)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.text.contains("acceptPrivacy") && refused.text.contains("certify"))
            let saved = try await client.json(
                .put, "/api/v1/family/children/\(family.childID)", host: family.host,
                body: body + #","certified":true,"acceptsPrivacy":true}"#, token: token)
            #expect(saved.status == .ok)
            #expect(saved.jsonObject()?["allergies"] as? String == "aucune")
            let other = try await SignedInFamily.make(client, tenant: family.tenant)
            #expect(
                try await client.json(
                    .put, "/api/v1/family/children/\(other.childID)", host: family.host,
                    body: body + #","certified":true,"acceptsPrivacy":true}"#, token: token
                ).status == .notFound)
            #expect(
                try await client.json(.get, "/api/v1/families/\(other.familyID)", host: family.host, token: token).status
                    == .forbidden)
            let added = try await client.json(
                .post, "/api/v1/family/children", host: family.host,
                body: #"{"firstName":"Hugo","lastName":"Test","birthDate":"2017-06-02","certified":true,"acceptsPrivacy":true}"#,
                token: token)
            #expect(added.status == .created)
        }
    }

    @Test("staff over the API: create a family and invite its parent, invite another, write notes, read and correct the file")
    func staffAPI() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let direction = try await AccountFixtures.account(in: family.tenant, role: .direction)
            let token = try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: direction.id).token }
            let created = try await client.json(
                .post, "/api/v1/families", host: family.host, body: #"{"name":"Roux","parentEmail":"roux@exemple.fr"}"#,
                token: token)
            #expect(created.status == .created)
            let newID = try #require(created.jsonObject()?["id"] as? Int)
            #expect(try await AccountFixtures.latestMail(family.tenant, to: "roux@exemple.fr") != nil)
            #expect(
                try await client.json(
                    .post, "/api/v1/families", host: family.host, body: #"{"name":"","parentEmail":"x@exemple.fr"}"#, token: token
                )
                .status == .unprocessableContent)
            #expect(
                try await client.json(
                    .post, "/api/v1/families/\(newID)/invitations", host: family.host, body: #"{"email":"roux2@exemple.fr"}"#,
                    token: token
                )
                .status == .created)
            #expect(
                try await client.json(
                    .post, "/api/v1/families/999999/invitations", host: family.host, body: #"{"email":"n@exemple.fr"}"#,
                    token: token
                )
                .status == .notFound)
            #expect(
                try await client.json(
                    .put, "/api/v1/families/\(family.familyID)/notes", host: family.host, body: #"{"notes":"Allergie sévère"}"#,
                    token: token
                )
                .status == .noContent)
            let read = try await client.json(.get, "/api/v1/families/\(family.familyID)", host: family.host, token: token)
            #expect(read.jsonObject()?["notes"] as? String == "Allergie sévère")
            let listed = try await client.json(.get, "/api/v1/families?q=roux", host: family.host, token: token)
            #expect(listed.text.contains("roux2@exemple.fr") || listed.text.contains("Roux"))
            // The staff correct a child without consents; the parent does not see the notes.
            #expect(
                try await client.json(
                    .put, "/api/v1/families/\(family.familyID)/children/\(family.childID)", host: family.host,
                    body: #"{"firstName":"Léa","lastName":"Test","birthDate":"2020-03-14","allergies":"Kiwi"}"#, token: token
                ).status == .ok)
            let parentToken = try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: family.account.id).token
            }
            let own = try await client.json(.get, "/api/v1/family", host: family.host, token: parentToken)
            // The staff's notes are not the family's to read over the API: null, whatever they say.
            #expect(own.jsonObject()?["notes"] is NSNull)
            #expect((own.jsonObject()?["children"] as? [[String: Any]])?.first?["allergies"] as? String == "Kiwi")
        }
    }
}
