import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Mon calendrier says every state: validated cells, waiting rank, refusals with reasons, no cancel past the deadline")
struct MyCalendarStatesTests {
    @Test("rank on the waiting list, withdrawal, refused date and its reason, annuler only before the deadline")
    func states() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let others = try await BookingFixtures.families(family.tenant, count: 1)
            let (_, activity, _) = try await BookingFixtures.activity(client, family.tenant, capacity: 1, mode: "automatic")
            let day = BookingFixtures.day(after: 14)
            let past = AttendanceTests.pastMonday
            // Another family holds the place: the Martins' line waits, second in line behind nobody: 1re.
            _ = try await AttendanceTests.book(family.tenant, others[0], activity: activity, day: day, status: "validated")
            let token = try await family.inTenant { tx in
                _ = try BasketStore().addBookings(tx, familyID: family.familyID, lines: [(family.childID, activity, day)])
                return try ApiTokenStore().issue(tx, accountID: family.account.id).token
            }
            // The confirmation page: a warning banner (waiting list), the header's basket at 0.
            let csrfPage = try await family.get(client, "/panier")
            let key = try #require(csrfPage.hiddenField("cle"))
            #expect(csrfPage.text.contains("complet : liste d'attente"), "the Résumé says the line will wait")
            let submitted = try await family.post(client, "/panier/valider", ["cle": key])
            #expect(submitted.text.contains("message warning") && submitted.text.contains("1 sur liste d&#39;attente"))
            #expect(submitted.text.contains("Panier (0)"))
            // A validated date in the past (its deadline gone) and a refused one.
            let validatedPast = try await AttendanceTests.book(
                family.tenant,
                .init(familyID: family.familyID, childID: family.childID, accountID: family.account.id, token: token),
                activity: activity, day: past, status: "validated")
            _ = try await family.inTenant { tx in
                try tx.execute(
                    """
                    INSERT INTO bookings (family_id, child_id, activity_id, day, status, price_cents, refusal_reason)
                    VALUES (\(family.familyID), \(family.childID), \(activity), \(past), 'refused', 185, 'Sortie annulée')
                    """)
            }
            let month = try await family.get(client, "/mon-calendrier?mois=\(day.isoMonth)")
            #expect(month.text.contains("1re sur la liste d&#39;attente"))
            #expect(month.text.contains("name=\"retraits\""))
            let old = try await family.get(client, "/mon-calendrier?mois=\(past.isoMonth)")
            #expect(old.text.contains("plus annulable"))
            #expect(!old.text.contains("name=\"reservations\" value=\"\(validatedPast)\""))
            #expect(old.text.contains("refusée") && old.text.contains("motif : Sortie annulée"), "\(old.text)")
            #expect(old.text.contains("<td class=\"validated\">"))
            // The API refuses the late cancellation, and nothing goes in the basket.
            let late = try await client.json(
                .post, "/api/v1/basket/cancellations", host: family.host, body: #"{"bookingIds":[\#(validatedPast)]}"#,
                token: token)
            #expect(late.status == .unprocessableContent)
            // With a date that may still be cancelled: all or nothing, the basket stays empty.
            let future = try await AttendanceTests.book(
                family.tenant,
                .init(familyID: family.familyID, childID: family.childID, accountID: family.account.id, token: token),
                activity: activity, day: day.adding(days: 7), status: "validated")
            let mixed = try await client.json(
                .post, "/api/v1/basket/cancellations", host: family.host,
                body: #"{"bookingIds":[\#(validatedPast),\#(future)]}"#, token: token)
            #expect(mixed.status == .unprocessableContent)
            // Withdrawal: the waiting line goes, at once.
            let waitingID: Int = try await family.inTenant { tx in
                try tx.queryOne("SELECT id FROM bookings WHERE family_id = \(family.familyID) AND status = 'waiting'").decode(
                    "id")
            }
            let withdrawn = try await family.post(client, "/mon-calendrier/retirer", ["retraits": String(waitingID)])
            #expect(withdrawn.status == .seeOther)
            let again = try await client.json(
                .post, "/api/v1/bookings/withdrawals", host: family.host, body: #"{"bookingIds":[\#(waitingID)]}"#, token: token)
            #expect(again.jsonObject()?["withdrawn"] as? Int == 0)
            let (status, basket): (String, Int) = try await family.inTenant { tx in
                (
                    try tx.queryOne("SELECT status FROM bookings WHERE id = \(waitingID)").decode("status"),
                    try tx.queryOne("SELECT count(*)::int AS n FROM basket_lines WHERE family_id = \(family.familyID)").decode(
                        "n")
                )
            }
            #expect(status == "cancelled" && basket == 0)
            // Another family's line cannot be withdrawn by this one.
            let foreign = try await client.json(
                .post, "/api/v1/bookings/withdrawals", host: family.host, body: #"{"bookingIds":[\#(waitingID + 1000)]}"#,
                token: token)
            #expect(foreign.jsonObject()?["withdrawn"] as? Int == 0)
        }
    }
}
