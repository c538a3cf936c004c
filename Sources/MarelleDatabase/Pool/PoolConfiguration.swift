/// How the pool connects and how large it may grow.
public struct PoolConfiguration: Sendable {
    /// A libpq connection string or URI.
    public var conninfo: String
    /// Connections open at most; also the number of worker threads that run libpq calls.
    public var maxConnections: Int
    /// How long `withConnection` waits for a free connection before failing.
    public var acquireTimeout: Duration
    public var applicationName: String

    public init(
        conninfo: String, maxConnections: Int = 8, acquireTimeout: Duration = .seconds(5),
        applicationName: String = "marelle"
    ) {
        self.conninfo = conninfo
        self.maxConnections = max(1, maxConnections)
        self.acquireTimeout = acquireTimeout
        self.applicationName = applicationName
    }
}
