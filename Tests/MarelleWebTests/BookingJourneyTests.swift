import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Inscription through the pages: the four steps, Résumé, Valider, Mon calendrier, À traiter")
struct BookingJourneyTests {
    @Test("a parent books a date through the wizard, staff validate it, the parent cancels it from the calendar")
    func journey() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let (_, activity, _) = try await BookingFixtures.activity(client, family.tenant, capacity: 3, name: "MS MATIN (7h30-8h30)")
            let day = BookingFixtures.day(after: 14)
            let hub = try await family.get(client, "/inscription")
            #expect(hub.text.contains("S&#39;inscrire") || hub.text.contains("S'inscrire"))
            let step1 = try await family.get(client, "/inscription/participants")
            #expect(step1.text.contains("1</span> Participants") && step1.text.contains("value=\"\(family.childID)\"") && step1.text.contains(">Suivant<"))
            #expect(try await family.get(client, "/inscription/activites").status == .seeOther)  // no child chosen
            let step2 = try await family.get(client, "/inscription/activites?enfants=\(family.childID)")
            #expect(step2.text.contains("MS MATIN (7h30-8h30)") && step2.text.contains("value=\"\(family.childID)-\(activity)\""))
            let month = String(day.iso.prefix(7))
            let step3 = try await family.get(client, "/inscription/planning?choix=\(family.childID)-\(activity)&mois=\(month)")
            let value = "\(family.childID)-\(activity)-\(day.iso)"
            #expect(step3.text.contains("value=\"\(value)\""))
            #expect(try await family.post(client, "/panier/ajouter", ["jours": value]).status == .seeOther)
            let summary = try await family.get(client, "/panier")
            for words in ["Nom", "Période", "Tarif", "Type", "+ inscription", "1.85 €", "Total : 1.85 €", "Vider le panier", "Nouvelle inscription", ">Valider<"] {
                #expect(summary.text.contains(words), "Résumé without \(words)")
            }
            #expect(try await family.get(client, "/mon-compte").text.contains("Panier (1)"))
            let key = try #require(summary.hiddenField("cle"))
            let submitted = try await family.post(client, "/panier/valider", ["cle": key])
            #expect(submitted.status == .ok && submitted.text.contains("demandée : l&#39;équipe va la valider"))
            // A second click on the same page (same key) changes nothing.
            #expect(try await family.post(client, "/panier/valider", ["cle": key]).status == .ok)
            let count: Int = try await family.inTenant { tx in try await tx.queryOne("SELECT count(*)::int AS n FROM bookings").decode("n") }
            #expect(count == 1)
            // The staff validate it from "À traiter".
            let (cookies, csrf) = try await PrivacyAndReviewTests.staff(client, family.tenant)
            let queue = try await client.get("/gestion/a-traiter", host: family.host, cookies: cookies)
            #expect(queue.text.contains("MS MATIN (7h30-8h30)") && queue.text.contains("+ inscription"))
            let bookingID: Int = try await family.inTenant { tx in try await tx.queryOne("SELECT id FROM bookings").decode("id") }
            let none = try await client.post("/gestion/a-traiter", host: family.host, form: ["_csrf": csrf, "decision": "validate"], cookies: cookies)
            #expect(none.status == .unprocessableContent)
            let decided = try await client.post("/gestion/a-traiter", host: family.host, form: ["_csrf": csrf, "decision": "validate", "lignes": String(bookingID)],
                                                cookies: cookies)
            #expect(decided.status == .ok && decided.text.contains("1 ligne(s) traitée(s)"))
            let mail = try #require(try await AccountFixtures.latestMail(family.tenant, to: family.account.email))
            #expect(mail.subject.contains("réponse à vos demandes") && mail.body.contains("validée"))
            // Mon calendrier: the validated date, ticked, becomes a cancellation in the basket.
            let calendar = try await family.get(client, "/mon-calendrier?mois=\(month)")
            #expect(calendar.text.contains("entry validated") && calendar.text.contains("name=\"reservations\" value=\"\(bookingID)\""))
            #expect(try await family.post(client, "/panier/annuler", ["reservations": String(bookingID)]).status == .seeOther)
            let cancellation = try await family.get(client, "/panier")
            #expect(cancellation.text.contains("- annulation"))
            let sent = try await family.post(client, "/panier/valider", ["cle": try #require(cancellation.hiddenField("cle"))])
            #expect(sent.text.contains("annulation demandée"))
            let status: String = try await family.inTenant { tx in try await tx.queryOne("SELECT status FROM bookings").decode("status") }
            #expect(status == "cancel_requested")
        }
    }
}
