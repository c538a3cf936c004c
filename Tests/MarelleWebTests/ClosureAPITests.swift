import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Closures, single dates and closing periods")
struct ClosureAPITests {
    @Test("a closure, a removed date and an added date change the child's calendar; bad inputs change nothing")
    func calendarTools() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (token, id, periodID) = try await ActivityEditTests().setUp(client, tenant)
            #expect(
                try await client.json(
                    .post, "/api/v1/closures", host: host,
                    body: #"{"firstDay":"2027-05-24","lastDay":"2027-05-28","reason":"Travaux"}"#, token: token
                ).status == .created)
            #expect(
                try await client.json(
                    .post, "/api/v1/closures", host: host,
                    body: #"{"activityId":\#(id),"firstDay":"2027-05-03","lastDay":"2027-05-03"}"#, token: token
                ).status == .created)
            #expect(
                try await client.json(
                    .put, "/api/v1/activities/\(id)/dates/2027-05-12", host: host, body: #"{"runs":true}"#, token: token
                ).status == .noContent)
            #expect(
                try await client.json(
                    .put, "/api/v1/activities/\(id)/dates/2027-05-04", host: host, body: #"{"runs":false}"#, token: token
                ).status == .noContent)
            // Bad inputs.
            #expect(
                try await client.json(
                    .post, "/api/v1/closures", host: host, body: #"{"firstDay":"2027-05-28","lastDay":"2027-05-24"}"#,
                    token: token
                ).status == .unprocessableContent)
            #expect(
                try await client.json(
                    .post, "/api/v1/closures", host: host,
                    body: #"{"activityId":999999,"firstDay":"2027-05-24","lastDay":"2027-05-24"}"#, token: token
                ).status == .unprocessableContent)
            #expect(
                try await client.json(
                    .put, "/api/v1/activities/999999/dates/2027-05-12", host: host, body: #"{"runs":true}"#, token: token
                ).status == .notFound)
            #expect(
                try await client.json(
                    .put, "/api/v1/activities/\(id)/dates/12-05-2027", host: host, body: #"{"runs":true}"#, token: token
                ).status == .badRequest)
            let list = try await client.json(.get, "/api/v1/closures", host: host, token: token)
            #expect(list.text.contains("Travaux"))
            let months = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try CalendarStore().month(
                    tx, year: 2027, month: 5, child: .init(level: .ps, birthDate: LocalDate(iso: "2023-03-01")!), quotient: nil,
                    now: Date(timeIntervalSince1970: 1_807_000_000))
            }
            let days = Dictionary(
                uniqueKeysWithValues: try #require(months.first).days.map { ($0.date.iso, $0.availability.code) })
            #expect(days["2027-05-03"] == "closed")  // this activity's own closure
            #expect(days["2027-05-04"] == "closed")  // removed by hand
            #expect(days["2027-05-12"] == "free")  // a Wednesday added by hand
            #expect(days["2027-05-26"] == "closed")  // the association's closure
            #expect(days["2027-05-10"] == "free")
            // Closing the period closes every day of it.
            #expect(try await client.json(.delete, "/api/v1/periods/\(periodID)", host: host, token: token).status == .noContent)
            #expect(try await client.json(.delete, "/api/v1/periods/\(periodID)", host: host, token: token).status == .notFound)
            let after = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try CalendarStore().month(
                    tx, year: 2027, month: 5, child: .init(level: .ps, birthDate: LocalDate(iso: "2023-03-01")!), quotient: nil,
                    now: Date(timeIntervalSince1970: 1_807_000_000))
            }
            // Every day of the period is closed; the Wednesday added by hand still runs, but no
            // open booking window covers it any more.
            let codes = Dictionary(
                uniqueKeysWithValues: try #require(after.first).days.map { ($0.date.iso, $0.availability.code) })
            #expect(Set(codes.filter { $0.key != "2027-05-12" }.values) == ["closed"])
            #expect(codes["2027-05-12"] == "outside-window")
        }
    }
}
