import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("The director's operations are the team's: a parent's token gets 403 on each")
struct DirectorOperationsForbiddenTests {
    @Test("attendance, waiting list, booking for a family, exports, dashboard, billing")
    func parentsRefused() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let token = try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: family.account.id).token }
            let body = #"{"childId":\#(family.childID),"activityId":1,"day":"2026-09-07","days":["2026-09-07"]}"#
            let operations: [(HTTPRequest.Method, String)] =
                [
                    (.get, "/api/v1/dashboard"), (.get, "/api/v1/attendance"), (.post, "/api/v1/attendance"),
                    (.post, "/api/v1/attendance/1"), (.get, "/api/v1/waiting-list"), (.post, "/api/v1/waiting-list/1/offer"),
                    (.post, "/api/v1/waiting-list/1/removal"), (.post, "/api/v1/families/\(family.familyID)/bookings"),
                    (.get, "/api/v1/invoicing-runs/preview?month=2027-02"), (.post, "/api/v1/invoicing-runs"),
                    (.post, "/api/v1/invoices/1/credit-notes"), (.get, "/api/v1/families/\(family.familyID)/account"),
                    (.get, "/api/v1/families/\(family.familyID)/ledger.csv"),
                    (.post, "/api/v1/families/\(family.familyID)/payments"),
                ]
                + ["bookings", "attendance", "amounts", "caf-hours"].flatMap { kind in
                    [(.get, "/api/v1/exports/\(kind)"), (.get, "/api/v1/exports/\(kind).csv")] as [(HTTPRequest.Method, String)]
                }
            for (method, path) in operations {
                let answer = try await client.json(
                    method, path, host: family.host, body: method == .get ? nil : body, token: token)
                #expect(answer.status == .forbidden, "\(method) \(path): \(answer.status)")
            }
            for path in [
                "/gestion/", "/gestion/presences", "/gestion/attente", "/gestion/exports", "/gestion/exports/bookings.csv",
                "/gestion/facturation", "/gestion/facturation/reglages", "/gestion/facturation/journal.csv",
                "/gestion/facturation/attestations-fiscales?annee=2026", "/gestion/familles/\(family.familyID)/compte",
                "/gestion/familles/\(family.familyID)/releve.csv",
                "/gestion/familles/\(family.familyID)/attestation-fiscale?annee=2026",
                "/gestion/familles/\(family.familyID)/attestation-presence?enfant=\(family.childID)",
                "/gestion/factures/1", "/gestion/factures/1/pdf", "/gestion/recus/1",
            ] {
                let page = try await family.get(client, path)
                #expect(page.status == .forbidden, "\(path): \(page.status)")
            }
        }
    }
}
