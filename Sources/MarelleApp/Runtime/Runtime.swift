import Logging
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleMail
import MarelleStore

/// The long-lived pieces built from a configuration: the pool, the migrators and the stores.
/// The CLI and the tests build one; the server builds one and hands it to `WebApplication`.
public struct Runtime: Sendable {
    public let configuration: MarelleConfiguration
    public let database: Database
    public let controlMigrator: Migrator
    public let tenantMigrator: Migrator
    public let tenants: TenantStore
    public let registry: TenantRegistry
    public let associations: AssociationStore
    public let hasher: PasswordHasher
    public let passwordPolicy: PasswordPolicy
    public let mail: MailComposer
    public let invitations: InvitationService
    public let secondFactors: SecondFactors
    /// Paying online (`paymentsKey` seals the providers' credentials).
    public let onlinePayments: OnlinePayments
    /// SEPA direct debit: mandates, batches, their pain.008 files and the bank's rejects.
    public let directDebits: DirectDebits

    public init(configuration: MarelleConfiguration, database: Database? = nil, hasher: PasswordHasher? = nil) throws {
        self.configuration = configuration
        let pool = PoolConfiguration(
            conninfo: configuration.database.url,
            maxConnections: configuration.database.poolSize,
            acquireTimeout: .seconds(configuration.database.acquireTimeoutSeconds))
        let clusters = configuration.clusters.isEmpty ? nil : ClusterDirectory(conninfos: configuration.clusters, template: pool)
        let db = database ?? Database(configuration: pool, clusters: clusters)
        self.database = db
        self.controlMigrator = Migrator(files: try MigrationFile.load(directory: configuration.paths.sql + "/control"))
        self.tenantMigrator = Migrator(files: try MigrationFile.load(directory: configuration.paths.sql + "/tenant"))
        self.tenants = TenantStore(database: db, tenantMigrator: tenantMigrator, servingRole: configuration.database.servingRole)
        self.registry = TenantRegistry(store: tenants, baseDomain: configuration.baseDomain)
        self.associations = AssociationStore(database: db)
        self.hasher = try hasher ?? PasswordHasher()
        self.passwordPolicy = try PasswordPolicy()
        self.mail = MailComposer(
            registry: registry, scheme: configuration.publicScheme, port: configuration.publicPort)
        self.invitations = InvitationService(database: db, mail: mail)
        // The configuration loader has already refused a malformed key.
        self.secondFactors = SecondFactors(
            database: db, box: configuration.secondFactorKey.flatMap { try? SecretBox(base64: $0) })
        self.onlinePayments = OnlinePayments(
            database: db, mail: mail, box: configuration.paymentsKey.flatMap { try? SecretBox(base64: $0) })
        self.directDebits = DirectDebits(database: db, mail: mail)
    }

    /// The outbox worker this configuration asks for.
    public func mailWorker(logger: Logger) -> MailDeliveryWorker {
        let mail = configuration.mail
        let mode: MailDeliveryWorker.Mode =
            mail.mode == "capture"
            ? .capture
            : .smtp(
                SMTPClient(
                    settings: SMTPSettings(
                        host: mail.smtp.host, port: mail.smtp.port,
                        security: SMTPSettings.Security(rawValue: mail.smtp.security) ?? .required,
                        username: mail.smtp.username, password: mail.smtp.password, caFile: mail.smtp.caFile,
                        heloName: configuration.baseDomain)))
        return MailDeliveryWorker(
            database: database, tenants: tenants, mode: mode, from: mail.from, messageIDDomain: configuration.baseDomain,
            pollInterval: .seconds(mail.pollIntervalSeconds), logger: logger)
    }

    /// The purge of expired sessions, links and throttle rows (every server process runs one).
    public func housekeeping(logger: Logger) -> HousekeepingWorker {
        HousekeepingWorker(
            database: database, tenants: tenants, reminders: InvoiceReminders(database: database, mail: mail),
            payments: onlinePayments, logger: logger)
    }

    /// The database pool's figures, for `/metrics`.
    public struct PoolFigures: Sendable {
        public let open: Int
        public let inUse: Int
        public let waiting: Int
        public let size: Int
    }

    public func poolFigures() async -> PoolFigures {
        let pool = await database.pool.statistics
        return PoolFigures(
            open: pool.open, inUse: pool.inUse, waiting: pool.waiting, size: database.pool.configuration.maxConnections)
    }

    /// Closes the pool alone (the server's graceful shutdown; the hashing threads end with
    /// the process).
    public func closeDatabase() async {
        await database.close()
    }

    /// Signing in, password then second factor.
    public var auth: AuthService { AuthService(database: database, hasher: hasher, secondFactors: secondFactors) }

    /// The use cases the web module calls.
    public var useCases: UseCases { UseCases(database: database) }

    /// Closes the pool and stops the hashing threads: call once, when done.
    public func shutdown() async {
        await database.close()
        await hasher.shutdown()
    }

    /// Upgrades the control schema, then every tenant. Reports each schema and its version.
    public func migrateAll(report: (String, Int) -> Void) async throws {
        report("marelle", try await controlMigrator.migrate(.control, database: database))
        for tenant in try await tenants.list() {
            report(tenant.schemaName, try await tenantMigrator.migrate(.tenant(try tenant.scope()), database: database))
        }
        try await tenants.grantServingAll()
    }
}
