import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("The parent's home page tells what is next")
struct FamilyHomeTests {
    @Test("next dates, decisions awaited, a refusal with its reason, a refused document, the vaccination record to send")
    func next() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let (_, activity, _) = try await BookingFixtures.activity(client, family.tenant, capacity: 5)
            let day = BookingFixtures.day(after: 14)
            _ = try await family.inTenant { tx in
                try tx.execute(
                    """
                    INSERT INTO bookings (family_id, child_id, activity_id, day, status, price_cents, refusal_reason, decided_at)
                    VALUES (\(family.familyID), \(family.childID), \(activity), \(day), 'validated', 185, NULL, now()),
                           (\(family.familyID), \(family.childID), \(activity), \(day.adding(days: 1)), 'requested', 185, NULL, NULL),
                           (\(family.familyID), \(family.childID), \(activity), \(day.adding(days: 2)), 'refused', 185, 'Groupe complet', now())
                    """)
                try tx.execute(
                    """
                    INSERT INTO documents (family_id, kind, file_name, content_type, byte_size, sha256, content, status, refusal_reason)
                    VALUES (\(family.familyID), 'insurance', 'assurance.pdf', 'application/pdf', 4, 'x', '\\x25504446'::bytea, 'refused', 'Illisible')
                    """)
            }
            let home = try await family.get(client, "/")
            #expect(home.status == .ok)
            #expect(home.text.contains("Pour vous"))
            #expect(home.text.contains("\(day.french) · MATIN · Léa : validée"))
            #expect(home.text.contains("1 demande(s) attendent la décision"))
            #expect(home.text.contains("refusée (Groupe complet)"))
            #expect(home.text.contains("« assurance.pdf » refusé : Illisible"))
            #expect(home.text.contains("Carnet de vaccination de Léa à transmettre"))
            // Signed out, nothing of the family shows.
            let anonymous = try await client.get("/", host: family.host)
            #expect(!anonymous.text.contains("Pour vous"))
        }
    }
}
