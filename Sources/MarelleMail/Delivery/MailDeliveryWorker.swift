import Logging
import MarelleCore
import MarelleDatabase
import MarelleStore
import Metrics
import NIOPosix
import ServiceLifecycle

/// Delivers the outbox of every active tenant. Rows are claimed with `FOR UPDATE SKIP
/// LOCKED` inside a tenant transaction that stays open while they are sent and records each
/// outcome: several server processes can run workers side by side, a row is never sent by
/// two of them, and a crash before the commit leaves the row pending for the next pass
/// (delivery is at least once; the Message-ID lets a relay drop a rare repeat). A mail that
/// was committed to the outbox is never lost.
public struct MailDeliveryWorker: Service {
    public enum Mode: Sendable {
        /// Development: nothing leaves; rows are marked captured and shown at /_dev/mail.
        case capture
        case smtp(SMTPClient)
    }

    let database: Database
    let tenants: TenantStore
    let mode: Mode
    let from: String
    let messageIDDomain: String
    let pollInterval: Duration
    let batchSize: Int
    let maxAttempts: Int
    let logger: Logger
    let outbox = OutboxStore()

    public init(
        database: Database, tenants: TenantStore, mode: Mode, from: String, messageIDDomain: String,
        pollInterval: Duration = .seconds(5), batchSize: Int = 20, maxAttempts: Int = 12, logger: Logger
    ) {
        self.database = database
        self.tenants = tenants
        self.mode = mode
        self.from = from
        self.messageIDDomain = messageIDDomain
        self.pollInterval = pollInterval
        self.batchSize = batchSize
        self.maxAttempts = maxAttempts
        self.logger = logger
    }

    public func run() async throws {
        var schedule = Schedule()
        while !Task.isShuttingDownGracefully {
            do {
                _ = try await pass(&schedule)
            } catch {
                logger.warning("mail delivery pass failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
        }
    }

    /// Which tenants a pass visits. Visiting every tenant costs a transaction each: with a
    /// thousand associations and a pass every 5 s, the home page's p99 went from 5 to 195 ms
    /// (`make bench-tenants`). A pass visits a tenant when rows were inserted into its outbox
    /// since the last look (PostgreSQL's table statistics, one query for all tenants; they
    /// reach other sessions within about ten seconds), when its last visit left mail pending
    /// (retries), and otherwise in turn: each pass takes the next slice of the tenants, so
    /// that every one is visited once per `sweepInterval` (mail written before a restart, or
    /// statistics reset) without a thousand transactions at once.
    public struct Schedule: Sendable {
        var inserts: [String: Int] = [:]
        var pending: Set<String> = []
        var passes = 0
        public var sweepInterval: Duration = .seconds(60)
        public init() {}
    }

    /// One pass; returns how many tenants it visited.
    public func pass(_ schedule: inout Schedule) async throws -> Int {
        let sweep = TenantSweep(sweep: schedule.sweepInterval, every: pollInterval)
        var inserts: [String: Int] = [:]
        for row in try await database.withConnection({ session in
            try session.query("SELECT schemaname, n_tup_ins AS inserts FROM pg_stat_user_tables WHERE relname = 'outbox'")
        }) {
            inserts[try row.decode("schemaname")] = try row.decode("inserts")
        }
        let first = schedule.passes == 0
        var visited = 0
        for tenant in try await tenants.list() where tenant.status == .active {
            let schema = tenant.schemaName
            let changed = !first && inserts[schema] != schedule.inserts[schema]
            if first { schedule.inserts[schema] = inserts[schema] }
            guard sweep.includes(id: tenant.id, pass: schedule.passes) || changed || schedule.pending.contains(schema) else {
                continue
            }
            schedule.inserts[schema] = inserts[schema]
            let (_, left) = try await deliver(for: tenant)
            if left > 0 { schedule.pending.insert(schema) } else { schedule.pending.remove(schema) }
            visited += 1
        }
        schedule.passes += 1
        return visited
    }

    /// Sends what is due for one tenant; returns how many messages left (or were captured).
    /// Tests call it directly instead of waiting for a pass.
    public func deliverDue(for tenant: Tenant) async throws -> Int {
        try await deliver(for: tenant).delivered
    }

    /// Sends what is due; returns how many left and how many are still pending after.
    func deliver(for tenant: Tenant) async throws -> (delivered: Int, pending: Int) {
        try await database.withTenant(try tenant.scope()) { tx in
            var delivered = 0
            for message in try outbox.claimDue(tx, limit: batchSize) {
                switch mode {
                case .capture:
                    try outbox.markDelivered(tx, id: message.id, status: "captured")
                    delivered += 1
                case .smtp(let client):
                    let mime = MIMEMessage(
                        from: from, to: message.to, subject: message.subject, body: message.body,
                        messageID: "outbox-\(tenant.schemaName)-\(message.id)@\(messageIDDomain)", date: message.createdAt)
                    do {
                        // The body runs on the connection's own thread, where blocking is
                        // allowed: the SMTP conversation blocks it, never the cooperative pool.
                        try client.send(mime)
                        try outbox.markDelivered(tx, id: message.id, detail: "accepted by \(client.settings.host)")
                        delivered += 1
                    } catch let error as SMTPError {
                        logger.warning(
                            "mail not delivered",
                            metadata: ["tenant": "\(tenant.slug)", "outbox": "\(message.id)", "error": "\(error)"])
                        try outbox.markFailed(
                            tx, id: message.id, error: error.description, maxAttempts: error.isPermanent ? 1 : maxAttempts)
                    }
                }
            }
            // What is left after the pass: a backlog that grows means the relay is refusing
            // or slow (metric `marelle_outbox_backlog`, per tenant).
            let pending = try outbox.pendingCount(tx)
            Gauge(label: "marelle_outbox_backlog", dimensions: [("tenant", tenant.slug)]).record(pending)
            return (delivered, pending)
        }
    }
}
