import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Inscription through the pages: the four steps, Résumé, Valider, Mon calendrier, À traiter")
struct BookingJourneyTests {
    @Test("a parent books a date through the wizard, staff validate it, the parent cancels it from the calendar")
    func journey() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let (_, activity, _) = try await BookingFixtures.activity(
                client, family.tenant, capacity: 3, name: "MS MATIN (7h30-8h30)")
            let day = BookingFixtures.day(after: 14)
            let hub = try await family.get(client, "/inscription")
            #expect(hub.text.contains("S&#39;inscrire") || hub.text.contains("S'inscrire"))
            let step1 = try await family.get(client, "/inscription/participants")
            #expect(
                step1.text.contains("1</span> Participants") && step1.text.contains("value=\"\(family.childID)\"")
                    && step1.text.contains(">Suivant<"))
            #expect(try await family.get(client, "/inscription/activites").status == .seeOther)  // no child chosen
            let step2 = try await family.get(client, "/inscription/activites?enfants=\(family.childID)")
            #expect(step2.text.contains("MS MATIN (7h30-8h30)") && step2.text.contains("value=\"\(family.childID)-\(activity)\""))
            let month = String(day.iso.prefix(7))
            let step3 = try await family.get(client, "/inscription/planning?choix=\(family.childID)-\(activity)&mois=\(month)")
            let value = "\(family.childID)-\(activity)-\(day.iso)"
            #expect(step3.text.contains("value=\"\(value)\"") && !step3.text.contains("Semaines"))
            #expect(try await family.post(client, "/panier/ajouter", ["jours": value]).status == .seeOther)
            let summary = try await family.get(client, "/panier")
            for words in [
                "Nom", "Période", "Tarif", "Type", "+ inscription", "1,85 €", "Total : 1,85 €", "Vider le panier",
                "Nouvelle inscription", ">Valider<",
            ] {
                #expect(summary.text.contains(words), "Résumé without \(words)")
            }
            #expect(try await family.get(client, "/mon-compte").text.contains("Panier (1)"))
            let key = try #require(summary.hiddenField("cle"))
            let submitted = try await family.post(client, "/panier/valider", ["cle": key])
            #expect(submitted.status == .ok && submitted.text.contains("demandée : l&#39;équipe va la valider"))
            #expect(submitted.text.contains("· 1,85 €") && submitted.text.contains("Montant de la demande : 1,85 €"))
            // A second click on the same page (same key) changes nothing.
            #expect(try await family.post(client, "/panier/valider", ["cle": key]).status == .ok)
            let count: Int = try await family.inTenant { tx in
                try tx.queryOne("SELECT count(*)::int AS n FROM bookings").decode("n")
            }
            #expect(count == 1)
            // The staff validate it from "À traiter".
            let (cookies, csrf) = try await PrivacyAndReviewTests.staff(client, family.tenant)
            let queue = try await client.get("/gestion/a-traiter", host: family.host, cookies: cookies)
            #expect(
                queue.text.contains("MS MATIN (7h30-8h30)") && queue.text.contains("+ inscription")
                    && queue.text.contains("Valider la sélection"))
            let bookingID: Int = try await family.inTenant { tx in try tx.queryOne("SELECT id FROM bookings").decode("id") }
            let none = try await client.post(
                "/gestion/a-traiter", host: family.host, form: ["_csrf": csrf, "decision": "validate"], cookies: cookies)
            #expect(none.status == .unprocessableContent)
            let decided = try await client.post(
                "/gestion/a-traiter", host: family.host,
                form: ["_csrf": csrf, "decision": "validate", "lignes": String(bookingID)],
                cookies: cookies)
            #expect(decided.status == .ok && decided.text.contains("1 ligne(s) traitée(s)"))
            let mail = try #require(try await AccountFixtures.latestMail(family.tenant, to: family.account.email))
            #expect(mail.subject.contains("réponse à vos demandes") && mail.body.contains("validée"))
            let familyPage = try await client.get("/gestion/familles/\(family.familyID)", host: family.host, cookies: cookies)
            #expect(familyPage.text.contains("MS MATIN (7h30-8h30)") && familyPage.text.contains("<td>validée</td>"))
            // Mon calendrier: the validated date, ticked, becomes a cancellation in the basket.
            let calendar = try await family.get(client, "/mon-calendrier?mois=\(month)")
            #expect(
                calendar.text.contains("entry validated")
                    && calendar.text.contains("name=\"reservations\" value=\"\(bookingID)\""))
            #expect(try await family.post(client, "/panier/annuler", ["reservations": String(bookingID)]).status == .seeOther)
            let cancellation = try await family.get(client, "/panier")
            #expect(cancellation.text.contains("- annulation"))
            let sent = try await family.post(client, "/panier/valider", ["cle": try #require(cancellation.hiddenField("cle"))])
            #expect(sent.text.contains("annulation demandée"))
            let status: String = try await family.inTenant { tx in try tx.queryOne("SELECT status FROM bookings").decode("status")
            }
            #expect(status == "cancel_requested")
        }
    }

    @Test("a refusal needs its reason (page and API: 422, nothing changed); the family's mail carries it")
    func refusalReason() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let (_, activity, _) = try await BookingFixtures.activity(client, family.tenant, capacity: 3, mode: "manual")
            let token = try await family.inTenant { tx in
                _ = try BasketStore().addBookings(
                    tx, familyID: family.familyID, lines: [(family.childID, activity, BookingFixtures.day(after: 14))])
                return try ApiTokenStore().issue(tx, accountID: family.account.id).token
            }
            let sent = try await client.json(.post, "/api/v1/basket/submit", host: family.host, body: "{}", token: token)
            let booking = try #require((sent.jsonObject()?["lines"] as? [[String: Any]])?.first?["bookingId"] as? Int)
            let (cookies, csrf) = try await PrivacyAndReviewTests.staff(client, family.tenant)
            for reason in ["", "   ", String(repeating: "x", count: 501)] {
                let page = try await client.post(
                    "/gestion/a-traiter", host: family.host,
                    form: ["_csrf": csrf, "decision": "refuse", "lignes": String(booking), "motif": reason], cookies: cookies)
                #expect(page.status == .unprocessableContent)
                #expect(page.text.contains("motif"))
            }
            let staff = try await AccountFixtures.account(in: family.tenant, role: .direction)
            let staffToken = try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: staff.id).token }
            for body in [
                #"{"bookingIds":[\#(booking)],"decision":"refuse"}"#,
                #"{"bookingIds":[\#(booking)],"decision":"refuse","reason":" "}"#,
            ] {
                let answer = try await client.json(
                    .post, "/api/v1/queue/decisions", host: family.host, body: body, token: staffToken)
                #expect(answer.status == .unprocessableContent)
                #expect((answer.jsonObject()?["errors"] as? [[String: Any]])?.first?["field"] as? String == "reason")
            }
            let status: String = try await family.inTenant { tx in
                try tx.queryOne("SELECT status FROM bookings WHERE id = \(booking)").decode("status")
            }
            #expect(status == "requested")
            let refused = try await client.post(
                "/gestion/a-traiter", host: family.host,
                form: ["_csrf": csrf, "decision": "refuse", "lignes": String(booking), "motif": "Groupe complet ce jour-là"],
                cookies: cookies)
            #expect(refused.status == .ok)
            let mail = try #require(try await AccountFixtures.latestMail(family.tenant, to: family.account.email))
            #expect(mail.body.contains("refusée") && mail.body.contains("Groupe complet ce jour-là"))
        }
    }

    @Test(
        "Formulaire d'absence: booked dates, a reason and a certificate; staff see the day's absences; bad inputs change nothing")
    func absence() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let other = try await SignedInFamily.make(client, tenant: family.tenant)
            let (_, activity, _) = try await BookingFixtures.activity(client, family.tenant, capacity: 3, mode: "automatic")
            let day = BookingFixtures.day(after: 14)
            var bookings: [Int] = []
            for f in [family, other] {
                let token = try await f.inTenant { tx in
                    _ = try BasketStore().addBookings(tx, familyID: f.familyID, lines: [(f.childID, activity, day)])
                    return try ApiTokenStore().issue(tx, accountID: f.account.id).token
                }
                let sent = try await client.json(.post, "/api/v1/basket/submit", host: f.host, body: "{}", token: token)
                bookings.append(try #require((sent.jsonObject()?["lines"] as? [[String: Any]])?.first?["bookingId"] as? Int))
            }
            let page = try await family.get(client, "/absence")
            #expect(
                page.text.contains("name=\"reservations\" value=\"\(bookings[0])\"")
                    && !page.text.contains("value=\"\(bookings[1])\""))
            func send(_ fields: [String: String], ids: [Int], file: (String, [UInt8])?) async throws -> TestClient.Response {
                var body = Multipart.body(
                    fields: fields.merging(["_csrf": family.csrf]) { $1 }, fileName: file?.0, bytes: file?.1 ?? [],
                    fileField: "certificat")
                // Repeated checkboxes: prepend one part per id.
                var parts = ByteBuffer()
                for id in ids {
                    parts.writeString(
                        "--\(Multipart.boundary)\r\nContent-Disposition: form-data; name=\"reservations\"\r\n\r\n\(id)\r\n")
                }
                parts.writeBuffer(&body)
                var headers = WebClient.headers(family.host, [:], family.cookies)
                headers[.contentType] = "multipart/form-data; boundary=\(Multipart.boundary)"
                headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
                return try await client.client.post("/absence", headers: headers, body: parts)
            }
            #expect(try await send(["motif": ""], ids: [bookings[0]], file: nil).status == .unprocessableContent)
            // Not theirs:
            #expect(try await send(["motif": "Malade"], ids: [bookings[1]], file: nil).status == .unprocessableContent)
            #expect(
                try await send(["motif": "Malade"], ids: [bookings[0]], file: ("certificat.pdf", Array("<html>".utf8))).status
                    == .unprocessableContent)
            let count: Int = try await family.inTenant { tx in
                try tx.queryOne("SELECT count(*)::int AS n FROM absences").decode("n")
            }
            #expect(count == 0)
            let ok = try await send(["motif": "Malade"], ids: [bookings[0]], file: ("certificat.pdf", Multipart.pdf))
            #expect(
                ok.status == .ok && ok.text.contains("Absence enregistrée pour 1 date(s)")
                    && ok.text.contains("Absences déclarées"))
            let calendar = try await family.get(client, "/mon-calendrier?mois=\(day.iso.prefix(7))")
            #expect(calendar.text.contains("entry absent"))
            let (cookies, _) = try await PrivacyAndReviewTests.staff(client, family.tenant)
            let list = try await client.get("/gestion/absences?jour=\(day.iso)", host: family.host, cookies: cookies)
            #expect(list.text.contains("Malade") && list.text.contains("/documents/"))
            // The API, for the other family's own date; someone else's date is a 404.
            let token = try await other.inTenant { tx in try ApiTokenStore().issue(tx, accountID: other.account.id).token }
            #expect(
                try await client.json(
                    .post, "/api/v1/absences", host: other.host, body: #"{"bookingIds":[\#(bookings[0])],"reason":"x"}"#,
                    token: token
                ).status == .notFound)
            #expect(
                try await client.json(
                    .post, "/api/v1/absences", host: other.host,
                    body: #"{"bookingIds":[\#(bookings[1])],"reason":"Rendez-vous médical"}"#, token: token
                )
                .status == .created)
        }
    }

    @Test("step 3 by period: ticked weeks and weekdays put every running day of them in the basket")
    func byPeriod() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let (_, activity, periodID) = try await BookingFixtures.activity(client, family.tenant, capacity: 3)
            let monday = BookingFixtures.day(after: 14)
            let page = try await family.get(
                client, "/inscription/planning?choix=\(family.childID)-\(activity)&periode=\(periodID)")
            #expect(page.text.contains("value=\"\(monday.iso)\"") && page.text.contains("Semaines"))
            let added = try await family.post(
                client, "/panier/ajouter-periode",
                [
                    "choix": "\(family.childID)-\(activity)", "semaines": monday.iso, "joursSemaine": "2",
                    "query": "choix=\(family.childID)-\(activity)",
                ])
            #expect(added.status == .seeOther && added.headers[.location] == "/panier")
            let lines = try await family.inTenant { tx in try BasketStore().lines(tx, familyID: family.familyID) }
            #expect(lines.map(\.day) == [monday.adding(days: 1)])
            // A weekend day, on which the activity does not run, adds nothing.
            let none = try await family.post(
                client, "/panier/ajouter-periode",
                [
                    "choix": "\(family.childID)-\(activity)", "semaines": monday.iso, "joursSemaine": "6",
                    "query": "choix=\(family.childID)-\(activity)",
                ])
            #expect(none.headers[.location]?.contains("vide=1") == true)
        }
    }
}
