import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Booking under load: never overbook, never lose a request")
struct BookingRushTests {
    /// The rush runs on a server with a pool of its own: hundreds of requests queuing for a
    /// connection must not starve the other tests, which share the default pool.
    static func withOwnPool<T: Sendable>(_ body: @Sendable (WebClient) async throws -> T) async throws -> T {
        _ = try await TestEnvironment.runtime()  // the control schema is migrated
        let runtime = try Runtime(configuration: TestEnvironment.configuration(poolSize: 8))
        do {
            let value = try await WebTestServer.with(runtime: runtime, body)
            await runtime.shutdown()
            return value
        } catch {
            await runtime.shutdown()
            throw error
        }
    }

    static func submitAll(_ client: WebClient, host: String, _ families: [BookingFixtures.Family]) async throws -> [(Int, String)]
    {
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for family in families {
                group.addTask {
                    let r = try await BookingFixtures.onOwnConnection(
                        client, .post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token)
                    return (r.status.code, r.text)
                }
            }
            var all: [(Int, String)] = []
            for try await result in group { all.append(result) }
            return all
        }
    }

    static func statuses(_ tenant: Tenant, activityID: Int, day: LocalDate) async throws -> [String: Int] {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            var counts: [String: Int] = [:]
            for row in try tx.query(
                "SELECT status, count(*)::int AS n FROM bookings WHERE activity_id = \(activityID) AND day = \(day) GROUP BY status"
            ) {
                counts[try row.decode("status")] = try row.decode("n")
            }
            return counts
        }
    }

    @Test(
        "200 families submit at once for a date with 10 places: 10 held, 190 waiting, no 5xx; cancellations interleaved keep the invariant"
    )
    func rush() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await Self.withOwnPool { client in
            let (staffToken, activityID, _) = try await BookingFixtures.activity(client, tenant, capacity: 10)
            let day = BookingFixtures.day(after: 14)
            let families = try await BookingFixtures.families(tenant, count: 250)
            let database = try await TestEnvironment.runtime().database
            try await database.withTenant(try tenant.scope()) { tx in
                for f in families {
                    _ = try BasketStore().addBookings(tx, familyID: f.familyID, lines: [(f.childID, activityID, day)])
                }
            }
            let first = try await Self.submitAll(client, host: host, Array(families.prefix(200)))
            #expect(first.allSatisfy { $0.0 == 201 }, "\(first.filter { $0.0 != 201 }.prefix(3))")
            #expect(try await Self.statuses(tenant, activityID: activityID, day: day) == ["requested": 10, "waiting": 190])
            var invariant = try await database.withTenant(try tenant.scope()) { tx in
                try BookingDecisions().invariant(tx, activityID: activityID, day: day)
            }
            #expect(invariant.held == 10 && invariant.holding == 10 && invariant.capacity == 10)

            // The staff validate five requests, then refuse the other five while fifty more
            // families submit: each freed place goes to the waiting list, first in first out.
            let queue = try await client.json(
                .get, "/api/v1/queue?activity=\(activityID)&day=\(day.iso)", host: host, token: staffToken)
            let ids = try #require(try JSONSerialization.jsonObject(with: Data(queue.text.utf8)) as? [[String: Any]]).compactMap {
                $0["id"] as? Int
            }
            #expect(ids.count == 10)
            let validated = try await client.json(
                .post, "/api/v1/queue/decisions", host: host,
                body: #"{"bookingIds":\#(Array(ids.prefix(5))),"decision":"validate"}"#, token: staffToken)
            #expect(validated.status == .ok)
            let oldestWaiting: [Int] = try await database.withTenant(try tenant.scope()) { tx in
                try tx.query(
                    "SELECT id FROM bookings WHERE activity_id = \(activityID) AND day = \(day) AND status = 'waiting' ORDER BY submission_id, id LIMIT 5"
                )
                .map { try $0.decode("id") }
            }
            async let refusals = BookingFixtures.onOwnConnection(
                client, .post, "/api/v1/queue/decisions", host: host,
                body: #"{"bookingIds":\#(Array(ids.suffix(5))),"decision":"refuse","reason":"Erreur"}"#,
                token: staffToken)
            async let late = Self.submitAll(client, host: host, Array(families.suffix(50)))
            #expect(try await refusals.status == .ok)
            #expect(try await late.allSatisfy { $0.0 == 201 })
            let after = try await Self.statuses(tenant, activityID: activityID, day: day)
            #expect(
                after["validated"] == 5 && after["refused"] == 5 && after["requested"] == 5 && after["waiting"] == 235, "\(after)"
            )
            let promoted: [Int] = try await database.withTenant(try tenant.scope()) { tx in
                try tx.query(
                    "SELECT id FROM bookings WHERE activity_id = \(activityID) AND day = \(day) AND status = 'requested' ORDER BY id"
                )
                .map { try $0.decode("id") }
            }
            #expect(promoted == oldestWaiting.sorted())
            invariant = try await database.withTenant(try tenant.scope()) { tx in
                try BookingDecisions().invariant(tx, activityID: activityID, day: day)
            }
            #expect(invariant.held == 10 && invariant.holding == 10)
        }
    }

    @Test("50 families submit at once for one place: the waiting list serves them in the order their submissions arrived")
    func waitingListOrder() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await Self.withOwnPool { client in
            let (staffToken, activityID, _) = try await BookingFixtures.activity(client, tenant, capacity: 1)
            let day = BookingFixtures.day(after: 14)
            let families = try await BookingFixtures.families(tenant, count: 50)
            let database = try await TestEnvironment.runtime().database
            try await database.withTenant(try tenant.scope()) { tx in
                for f in families {
                    _ = try BasketStore().addBookings(tx, familyID: f.familyID, lines: [(f.childID, activityID, day)])
                }
            }
            let answers = try await Self.submitAll(client, host: host, families)
            #expect(answers.allSatisfy { $0.0 == 201 })
            // Arrival: the submission's id, drawn before the dates' counters are locked.
            let arrival: [Int] = try await database.withTenant(try tenant.scope()) { tx in
                try tx.query(
                    "SELECT id FROM bookings WHERE activity_id = \(activityID) AND day = \(day) AND status = 'waiting' ORDER BY submission_id"
                ).map { try $0.decode("id") }
            }
            #expect(arrival.count == 49)
            // Each refusal frees the place for the next submission in arrival order.
            var served: [Int] = []
            for _ in 0..<12 {
                let holder: Int = try await database.withTenant(try tenant.scope()) { tx in
                    try tx.queryOne(
                        "SELECT id FROM bookings WHERE activity_id = \(activityID) AND day = \(day) AND status = 'requested'"
                    ).decode("id")
                }
                let refused = try await client.json(
                    .post, "/api/v1/queue/decisions", host: host,
                    body: #"{"bookingIds":[\#(holder)],"decision":"refuse","reason":"Place reprise"}"#, token: staffToken)
                #expect(refused.status == .ok)
                served.append(
                    try await database.withTenant(try tenant.scope()) { tx in
                        try tx.queryOne(
                            "SELECT id FROM bookings WHERE activity_id = \(activityID) AND day = \(day) AND status = 'requested'"
                        ).decode("id")
                    })
            }
            #expect(served == Array(arrival.prefix(12)))
        }
    }

    @Test("the same Idempotency-Key sent twice at once has one effect and one answer; another body with it is refused")
    func idempotency() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await Self.withOwnPool { client in
            let (_, activityID, _) = try await BookingFixtures.activity(client, tenant, capacity: 5)
            let family = try #require(try await BookingFixtures.families(tenant, count: 1).first)
            let days = [BookingFixtures.day(after: 14), BookingFixtures.day(after: 14, weekday: 2)]
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                _ = try BasketStore().addBookings(
                    tx, familyID: family.familyID, lines: days.map { (family.childID, activityID, $0) })
            }
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "cle-\(UUID().uuidString)"]
            async let a = BookingFixtures.onOwnConnection(
                client, .post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token, headers: key)
            async let b = BookingFixtures.onOwnConnection(
                client, .post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token, headers: key)
            let (first, second) = try await (a, b)
            #expect(first.status == .created && second.status == .created)
            #expect(first.jsonObject()?["submissionId"] as? Int == second.jsonObject()?["submissionId"] as? Int)
            let count: Int = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne("SELECT count(*)::int AS n FROM bookings WHERE family_id = \(family.familyID)").decode("n")
            }
            #expect(count == 2)
            let other = try await BookingFixtures.onOwnConnection(
                client, .post, "/api/v1/basket/submit", host: host, body: #"{"x":1}"#, token: family.token, headers: key)
            #expect(other.status == .unprocessableContent)
            let empty = try await client.json(.post, "/api/v1/basket/submit", host: host, body: "{}", token: family.token)
            #expect(empty.status == .unprocessableContent && empty.text.contains("Le panier est vide"))
        }
    }

    @Test(
        "ten submissions of one family at once, each with the same date in its body: all answered 201, one booking, no deadlock")
    func oneFamilyAtOnce() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await Self.withOwnPool { client in
            let (_, activityID, _) = try await BookingFixtures.activity(client, tenant, capacity: 5)
            let family = try #require(try await BookingFixtures.families(tenant, count: 1).first)
            let day = BookingFixtures.day(after: 14)
            let body = #"{"lines":[{"childId":\#(family.childID),"activityId":\#(activityID),"days":["\#(day.iso)"]}]}"#
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        let r = try await BookingFixtures.onOwnConnection(
                            client, .post, "/api/v1/basket/submit", host: host, body: body, token: family.token)
                        return (r.status.code, r.text)
                    }
                }
                var all: [(Int, String)] = []
                for try await answer in group { all.append(answer) }
                return all
            }
            #expect(answers.allSatisfy { $0.0 == 201 }, "\(answers.filter { $0.0 != 201 }.prefix(3))")
            #expect(answers.filter { $0.1.contains("Déjà réservé") }.count == 9)
            let live: Int = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne(
                    "SELECT count(*)::int AS n FROM bookings WHERE family_id = \(family.familyID) AND status <> 'refused'"
                ).decode("n")
            }
            #expect(live == 1)
        }
    }
}
