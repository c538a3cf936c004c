import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import MarelleStore
import MarelleTestSupport
import MarelleWeb
import NIOCore
import Testing

@Suite("Two server processes share nothing but PostgreSQL")
struct MultiProcessTests {
    @Test(
        "a session, a basket, an Idempotency-Key and the login throttle work whichever process answers; two mail workers send each mail once"
    )
    func twoProcesses() async throws {
        let runtime = try await TestEnvironment.runtime()
        let (a, b) = (try await ServerProcess.start(), try await ServerProcess.start())
        do {
            // A session opened on A is the same session on B.
            let family = try await SignedInFamily.make(a.client)
            let onB = try await family.get(b.client, "/mon-compte")
            #expect(onB.status == .ok && onB.text.contains(family.account.email))
            // The basket filled through A is the one B shows.
            let (_, activity, _) = try await BookingFixtures.activity(a.client, family.tenant, capacity: 5)
            let token = try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: family.account.id).token }
            let day = BookingFixtures.day(after: 14).iso
            let added = try await a.client.json(
                .post, "/api/v1/basket/lines", host: family.host,
                body: #"{"childId":\#(family.childID),"activityId":\#(activity),"days":["\#(day)"]}"#, token: token)
            #expect(added.status == .created)
            let basket = try await b.client.json(.get, "/api/v1/basket", host: family.host, token: token)
            #expect((basket.jsonObject()?["lines"] as? [Any])?.count == 1)
            // The same Idempotency-Key sent to A then to B: one submission, the same answer.
            func submit(_ server: ServerProcess) async throws -> TestClient.Response {
                try await server.client.client.post(
                    "/api/v1/basket/submit",
                    headers: [
                        HTTPField.Name("Host")!: family.host, .authorization: "Bearer \(token)", .contentType: "application/json",
                        HTTPField.Name("Idempotency-Key")!: "cle-partagee-1",
                    ],
                    body: ByteBuffer(string: "{}"))
            }
            let (first, second) = (try await submit(a), try await submit(b))
            #expect(first.status == .created && second.status == .created)
            #expect(first.jsonObject()?["submissionId"] as? Int != nil)
            #expect(first.jsonObject()?["submissionId"] as? Int == second.jsonObject()?["submissionId"] as? Int)
            let submissions: Int = try await family.inTenant { tx in
                try tx.queryOne("SELECT count(*)::int AS n FROM submissions").decode("n")
            }
            #expect(submissions == 1)
            // Wrong passwords spread over both processes add up: the next try is throttled on either.
            for attempt in 0..<ThrottleStore.freeFailures {
                let server = attempt.isMultiple(of: 2) ? a : b
                let wrong = try await server.client.json(
                    .post, "/api/v1/auth/login", host: family.host,
                    body: #"{"email":"\#(family.account.email)","password":"pas le bon mot de passe"}"#)
                #expect(wrong.status == .unauthorized)
            }
            #expect(try await AccountFixtures.holdLockOut(family.tenant, email: family.account.email))
            for server in [a, b] {
                let throttled = try await server.client.json(
                    .post, "/api/v1/auth/login", host: family.host,
                    body: #"{"email":"\#(family.account.email)","password":"\#(AccountFixtures.password)"}"#)
                #expect(throttled.status == .tooManyRequests)
            }
            // Mails: two workers (as in two processes) claim with SKIP LOCKED; each mail goes once.
            try await family.inTenant { tx in
                for n in 0..<20 {
                    _ = try OutboxStore().enqueue(tx, kind: "test", to: "x\(n)@exemple.fr", subject: "n° \(n)", body: "corps")
                }
            }
            var logger = Logger(label: "multi-process-test")
            logger.logLevel = .error
            let workers = [runtime.mailWorker(logger: logger), runtime.mailWorker(logger: logger)]
            try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in workers { group.addTask { try await worker.deliverDue(for: family.tenant) } }
                try await group.waitForAll()
            }
            let (pending, attempts): (Int, Int) = try await family.inTenant { tx in
                let row = try tx.queryOne(
                    "SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, coalesce(max(attempts), 0)::int AS attempts FROM outbox"
                )
                return (try row.decode("pending"), try row.decode("attempts"))
            }
            #expect(pending == 0 && attempts == 1)
            await a.stop()
            await b.stop()
        } catch {
            await a.stop()
            await b.stop()
            throw error
        }
    }
}
