import Logging
import MarelleCore
import MarelleDatabase
import MarelleStore
import ServiceLifecycle

/// Deletes what no one can use any more (`ExpiredRowsStore`) in every active association:
/// one statement in one transaction per association, and each pass takes the next slice of
/// the associations (`TenantSweep`) so that every one is visited once per `sweep` without a
/// thousand transactions at once, as the mail worker does. Any number of server processes
/// may run it: a row deleted twice is deleted once. The same pass sends the reminders of
/// overdue invoices (`InvoiceReminders`), each claimed once whatever the number of servers,
/// and reads back the online payments still waiting for their provider's word.
public struct HousekeepingWorker: Service {
    let database: Database
    let tenants: TenantStore
    let interval: Duration
    let sweep: Duration
    let logger: Logger
    let reminders: InvoiceReminders?
    let payments: OnlinePayments?
    let store = ExpiredRowsStore()

    public init(
        database: Database, tenants: TenantStore, interval: Duration = .seconds(60), sweep: Duration = .seconds(3600),
        reminders: InvoiceReminders? = nil, payments: OnlinePayments? = nil, logger: Logger
    ) {
        self.reminders = reminders
        self.payments = payments
        self.database = database
        self.tenants = tenants
        self.interval = interval
        self.sweep = sweep
        self.logger = logger
    }

    public func run() async throws {
        var pass = 0
        while !Task.isShuttingDownGracefully {
            do {
                _ = try await self.pass(pass)
            } catch {
                logger.warning("housekeeping pass failed", metadata: ["error": "\(error)"])
            }
            pass += 1
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Pass number `number`: purges its slice of the active associations and returns what it
    /// deleted in each reached (a test runs one pass with `sweep` equal to `interval`: every one).
    public func pass(_ number: Int) async throws -> [String: ExpiredRowsStore.Purged] {
        let slices = TenantSweep(sweep: sweep, every: interval)
        var purged: [String: ExpiredRowsStore.Purged] = [:]
        for tenant in try await tenants.list() where tenant.status == .active && slices.includes(id: tenant.id, pass: number) {
            let done: ExpiredRowsStore.Purged
            do {
                done = try await database.withTenant(try tenant.scope()) { tx in try store.purge(tx) }
                if let reminders, case let sent = try await reminders.send(tenant: tenant), sent > 0 {
                    logger.info("invoice reminders sent", metadata: ["tenant": "\(tenant.slug)", "invoices": "\(sent)"])
                }
                // Online payments the provider has not confirmed yet are read back from it.
                if let payments { try await payments.reconcile(tenant: tenant) }
            } catch {
                // One association that cannot be reached (its cluster is down, it is being
                // restored) does not keep the others' rows for ever.
                logger.warning("housekeeping failed", metadata: ["tenant": "\(tenant.slug)", "error": "\(error)"])
                continue
            }
            if done.total > 0 {
                logger.info(
                    "expired rows purged",
                    metadata: [
                        "tenant": "\(tenant.slug)", "sessions": "\(done.sessions)", "apiTokens": "\(done.apiTokens)",
                        "links": "\(done.links)", "throttle": "\(done.throttleRows)",
                    ])
            }
            purged[tenant.slug] = done
        }
        return purged
    }
}
