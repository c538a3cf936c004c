/// The other PostgreSQL clusters tenants may live on, by the names the configuration gives
/// them. A pool for each is opened the first time a tenant there is used, so a server that
/// knows ten clusters but serves two holds connections to two.
public actor ClusterDirectory {
    public nonisolated let conninfos: [String: String]
    let template: PoolConfiguration
    private var databases: [String: Database] = [:]

    public init(conninfos: [String: String], template: PoolConfiguration) {
        self.conninfos = conninfos
        self.template = template
    }

    public func database(named name: String) throws(DatabaseError) -> Database {
        if let database = databases[name] { return database }
        guard let conninfo = conninfos[name] else {
            throw DatabaseError(kind: .client, message: "the configuration names no cluster '\(name)'")
        }
        var configuration = template
        configuration.conninfo = conninfo
        let database = Database(configuration: configuration)
        databases[name] = database
        return database
    }

    public func closeAll() async {
        for database in databases.values { await database.close() }
        databases = [:]
    }
}
