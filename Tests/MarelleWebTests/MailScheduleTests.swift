import Foundation
import Logging
import MarelleMail
import MarelleStore
import MarelleTestSupport
import MarelleWeb
import Testing

@Suite("The mail worker visits the associations that have mail, not all of them each pass")
struct MailScheduleTests {
    @Test("a pass visits the association whose outbox got a row and delivers it, not every association")
    func visitsOnlyWhatChanged() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant()
        _ = try await TestEnvironment.makeTenant()
        var logger = Logger(label: "mail-schedule-test")
        logger.logLevel = .error
        let worker = runtime.mailWorker(logger: logger)
        var schedule = MailDeliveryWorker.Schedule()
        schedule.sweepInterval = .seconds(3600)
        _ = try await worker.pass(&schedule)
        let active = try await runtime.tenants.list().filter { $0.status == .active }.count
        let id = try await runtime.database.withTenant(try tenant.scope()) { tx in
            let id = try OutboxStore().enqueue(tx, kind: "test", to: "parent@exemple.fr", subject: "Bonjour", body: "corps")
            // The statistics the worker reads are flushed when this transaction ends.
            try tx.execute("SELECT pg_stat_force_next_flush()")
            return id
        }
        let visited = try await worker.pass(&schedule)
        #expect(visited >= 1 && visited < active)
        let status: String = try await runtime.database.withTenant(try tenant.scope()) { tx in
            try tx.queryOne("SELECT status FROM outbox WHERE id = \(id)").decode("status")
        }
        #expect(status == "captured")
    }
}
