import Logging
import Metrics
import MarelleCore
import MarelleDatabase
import MarelleStore
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
        while !Task.isShuttingDownGracefully {
            do {
                _ = try await deliverDue()
            } catch {
                logger.warning("mail delivery pass failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
        }
    }

    /// One pass over every active tenant; returns how many messages left (or were captured).
    /// Tests call it directly instead of waiting for the timer.
    @discardableResult
    public func deliverDue() async throws -> Int {
        var delivered = 0
        for tenant in try await tenants.list() where tenant.status == .active {
            delivered += try await deliverDue(for: tenant)
        }
        return delivered
    }

    public func deliverDue(for tenant: Tenant) async throws -> Int {
        try await database.withTenant(try tenant.scope()) { tx in
            var delivered = 0
            for message in try await outbox.claimDue(tx, limit: batchSize) {
                switch mode {
                case .capture:
                    try await outbox.markDelivered(tx, id: message.id, status: "captured")
                    delivered += 1
                case .smtp(let client):
                    let mime = MIMEMessage(
                        from: from, to: message.to, subject: message.subject, body: message.body,
                        messageID: "outbox-\(tenant.schemaName)-\(message.id)@\(messageIDDomain)", date: message.createdAt)
                    do {
                        // SMTP conversations block: NIO's shared pool for blocking I/O runs them.
                        try await NIOThreadPool.singleton.runIfActive { try client.send(mime) }
                        try await outbox.markDelivered(tx, id: message.id, detail: "accepted by \(client.settings.host)")
                        delivered += 1
                    } catch let error as SMTPError {
                        logger.warning(
                            "mail not delivered", metadata: ["tenant": "\(tenant.slug)", "outbox": "\(message.id)", "error": "\(error)"])
                        try await outbox.markFailed(
                            tx, id: message.id, error: error.description, maxAttempts: error.isPermanent ? 1 : maxAttempts)
                    }
                }
            }
            // What is left after the pass: a backlog that grows means the relay is refusing
            // or slow (metric `marelle_outbox_backlog`, per tenant).
            Gauge(label: "marelle_outbox_backlog", dimensions: [("tenant", tenant.slug)]).record(try await outbox.pendingCount(tx))
            return delivered
        }
    }
}
