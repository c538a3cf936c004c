import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

/// An association open for booking around today, and families made straight in the database
/// (no password hashing: the rush tests need hundreds of them).
enum BookingFixtures {
    struct Family: Sendable {
        let familyID: Int
        let childID: Int
        let accountID: Int
        let token: String
    }

    /// The next `weekday` (1 = Monday) at least `days` days from today, in Paris.
    static func day(after days: Int, weekday: Int = 1) -> LocalDate {
        var date = ParisClock.date(of: Date()).adding(days: days)
        while date.weekday != weekday { date = date.adding(days: 1) }
        return date
    }

    /// A period from 60 days ago to 200 days ahead, open for booking now, and an activity on
    /// weekdays Monday to Friday. Returns the direction's token, the activity and the period.
    static func activity(
        _ client: WebClient, _ tenant: Tenant, capacity: Int, levels: String = "[]", mode: String = "manual",
        starts: String = "07:30", ends: String = "08:30", name: String = "MATIN",
        in existing: (token: String, periodID: Int)? = nil
    ) async throws -> (token: String, activityID: Int, periodID: Int) {
        let host = "\(tenant.slug).localhost"
        let (token, periodID) = if let existing { existing } else { try await period(client, tenant) }
        let created = try await client.json(
            .post, "/api/v1/activities", host: host,
            body: """
                {"name":"\(name)","startsAt":"\(starts)","endsAt":"\(ends)","levels":\(levels),"capacity":\(capacity),"weekdays":[1,2,3,4,5],
                 "validationMode":"\(mode)","bookingDeadline":{"daysBefore":1,"time":"10:00"},"cancellationDeadline":{"daysBefore":1,"time":"10:00"},
                 "periodIds":[\(periodID)],"price":{"flatCents":185}}
                """, token: token)
        return (token, try #require(created.jsonObject()?["id"] as? Int, "\(created.text)"), periodID)
    }

    /// The direction's token and a period around today, open for booking now.
    static func period(_ client: WebClient, _ tenant: Tenant) async throws -> (token: String, periodID: Int) {
        let host = "\(tenant.slug).localhost"
        let token = try await ActivityAPITests().token(client, tenant, role: .direction)
        let today = ParisClock.date(of: Date())
        let iso = ISO8601DateFormatter()
        let period = try await client.json(
            .post, "/api/v1/periods", host: host,
            body: """
                {"name":"Période \(UUID().uuidString.prefix(6))","kind":"holidays","firstDay":"\(today.adding(days: -60).iso)","lastDay":"\(today.adding(days: 200).iso)",
                 "bookingOpensAt":"\(iso.string(from: Date().addingTimeInterval(-86_400 * 70)))","bookingClosesAt":"\(iso.string(from: Date().addingTimeInterval(86_400 * 190)))"}
                """, token: token)
        return (token, try #require(period.jsonObject()?["id"] as? Int, "\(period.text)"))
    }

    static func families(_ tenant: Tenant, count: Int, level: SchoolLevel = .ms) async throws -> [Family] {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            var result: [Family] = []
            for index in 0..<count {
                let familyID = try FamilyStore().create(tx, name: "Famille \(index)")
                let account = try #require(
                    try AccountStore().create(
                        tx, email: EmailAddress("parent\(index)-\(UUID().uuidString.prefix(6).lowercased())@exemple.fr")!,
                        role: .parent, familyID: familyID))
                var child = ChildDraft()
                (child.firstName, child.lastName, child.birthDate, child.level) = (
                    "Enfant\(index)", "Test", LocalDate(iso: "2021-02-02"), level
                )
                let childID = try FamilyFileStore().addChild(tx, familyID: familyID, child)
                let token = try ApiTokenStore().issue(tx, accountID: account.id).token
                result.append(Family(familyID: familyID, childID: childID, accountID: account.id, token: token))
            }
            return result
        }
    }

    /// A request on a connection of its own, as 200 parents' phones would.
    static func onOwnConnection(
        _ client: WebClient, _ method: HTTPRequest.Method, _ path: String, host: String, body: String?, token: String,
        headers: HTTPFields = [:]
    ) async throws -> TestClient.Response {
        let own = TestClient(host: "127.0.0.1", port: client.port, configuration: .init(timeout: .seconds(60)))
        own.connect()
        do {
            var all = WebClient.headers(host, headers, [:])
            all[.authorization] = "Bearer \(token)"
            all[.contentType] = "application/json"
            let response = try await own.execute(
                .init(path, method: method, headers: all, body: body.map { ByteBuffer(string: $0) }))
            try await own.shutdown()
            return response
        } catch {
            try? await own.shutdown()
            throw error
        }
    }
}
