import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("The director's operations are the team's: a parent's token gets 403 on each")
struct DirectorOperationsForbiddenTests {
    @Test("attendance, waiting list, booking for a family, exports, dashboard")
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
            ] {
                let page = try await family.get(client, path)
                #expect(page.status == .forbidden, "\(path): \(page.status)")
            }
        }
    }
}
