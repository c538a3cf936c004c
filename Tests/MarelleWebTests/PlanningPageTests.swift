import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Step 3 Planning: ticks kept across months, the opening month, each day's state in words")
struct PlanningPageTests {
    @Test("a tick, then ›: the tick is in the basket and the next month shows; a second tick, Suivant: both in the Résumé")
    func ticksAcrossMonths() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let (_, activity, _) = try await BookingFixtures.activity(client, family.tenant, capacity: 3)
            let first = BookingFixtures.day(after: 14)
            let second = BookingFixtures.day(after: 45)
            let choice = "\(family.childID)-\(activity)"
            let moved = try await family.post(
                client, "/panier/ajouter",
                ["query": "choix=\(choice)", "jours": "\(choice)-\(first.iso)", "aller": second.isoMonth])
            #expect(moved.status == .seeOther)
            #expect(moved.headers[.location] == "/inscription/planning?choix=\(choice)&mois=\(second.isoMonth)")
            let done = try await family.post(
                client, "/panier/ajouter", ["query": "choix=\(choice)", "jours": "\(choice)-\(second.iso)"])
            #expect(done.headers[.location] == "/panier")
            let basket = try await family.get(client, "/panier")
            #expect(basket.text.contains(first.shortFrench) && basket.text.contains(second.shortFrench), "\(basket.text)")
            // Back in the first month, the tick shows as in the basket.
            let page = try await family.get(client, "/inscription/planning?choix=\(choice)&mois=\(first.isoMonth)")
            #expect(page.text.contains("dans le panier"))
            // ‹ and › are buttons of the form, carrying the month they lead to.
            let next = first.adding(days: LocalDate.daysIn(month: first.month, year: first.year) - first.day + 1)
            #expect(page.text.contains("name=\"aller\" value=\"\(next.isoMonth)\""))
            // A hostile query carried back: only choix pairs survive into the redirect.
            let hostile = try await family.post(
                client, "/panier/ajouter", ["query": "choix=\(choice)&x=%0d%0aSet-Cookie:a", "aller": second.isoMonth])
            #expect(hostile.headers[.location] == "/inscription/planning?choix=\(choice)&mois=\(second.isoMonth)")
        }
    }

    @Test("step 2 shows each activity's period, days and price, its hours once; Précédent keeps the children")
    func activitiesStep() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            _ = try await BookingFixtures.activity(client, family.tenant, capacity: 3, name: "MATIN (7h30-8h30)")
            let page = try await family.get(client, "/inscription/activites?enfants=\(family.childID)")
            #expect(page.text.contains("lundi, mardi, mercredi, jeudi, vendredi · 1,85 € le jour"), "\(page.text)")
            #expect(page.text.contains(" au "))
            #expect(!page.text.contains("7h30 – 8h30"), "the hours are in the name already")
            #expect(page.text.contains("href=\"/inscription/participants?enfants=\(family.childID)\""))
        }
    }

    @Test("without a month, the grid opens on the activity's first month; closures and full days say so")
    func statesInWords() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let (token, activity, _) = try await BookingFixtures.activity(client, family.tenant, capacity: 1)
            let choice = "\(family.childID)-\(activity)"
            let closed = BookingFixtures.day(after: 21)
            let full = BookingFixtures.day(after: 28)
            try await family.inTenant { tx in
                try tx.execute(
                    "INSERT INTO closures (activity_id, first_day, last_day, reason) VALUES (NULL, \(closed), \(closed), 'Journée pédagogique')"
                )
                try tx.execute("INSERT INTO activity_days (activity_id, day, held) VALUES (\(activity), \(full), 1)")
            }
            let page = try await family.get(client, "/inscription/planning?choix=\(choice)&mois=\(closed.isoMonth)")
            #expect(page.text.contains("fermé : Journée pédagogique"))
            #expect(page.text.contains("Fermé le \(closed.french) : Journée pédagogique."))
            #expect(page.text.contains("1,85 €"))
            let fullPage = try await family.get(client, "/inscription/planning?choix=\(choice)&mois=\(full.isoMonth)")
            #expect(fullPage.text.contains("\(full.iso) complet : liste d&#39;attente"))
            // A holiday course that starts in seven months: the grid opens there.
            let today = ParisClock.date(of: Date())
            let start = today.adding(days: 215)  // after the fixtures' period (periods do not overlap)
            let iso = ISO8601DateFormatter()
            let period = try await client.json(
                .post, "/api/v1/periods", host: family.host,
                body: """
                    {"name":"Vacances","kind":"holidays","firstDay":"\(start.iso)","lastDay":"\(start.adding(days: 10).iso)",
                     "bookingOpensAt":"\(iso.string(from: Date().addingTimeInterval(-86_400)))","bookingClosesAt":"\(iso.string(from: Date().addingTimeInterval(86_400 * 210)))"}
                    """, token: token)
            let periodID = try #require(period.jsonObject()?["id"] as? Int, "\(period.text)")
            let (_, later, _) = try await BookingFixtures.activity(
                client, family.tenant, capacity: 5, name: "STAGE", in: (token, periodID))
            let opened = try await family.get(client, "/inscription/planning?choix=\(family.childID)-\(later)")
            #expect(opened.status == .seeOther)
            #expect(opened.headers[.location]?.hasSuffix("&mois=\(start.isoMonth)") == true)
        }
    }
}
