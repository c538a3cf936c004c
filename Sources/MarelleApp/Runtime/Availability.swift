import MarelleDatabase

/// Whether the database is there: for `/healthz`, and for telling a passing outage (answer
/// 503, "nothing was saved, try again") from a bug (500).
public struct Availability: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Throws when PostgreSQL does not answer.
    public func check() async throws {
        try await database.withConnection { session in _ = try session.queryOne("SELECT 1 AS ok") }
    }

    /// Connection loss, a full pool, or a server shutting down or starting up.
    public static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        switch error.kind {
        case .connection, .poolTimeout: return true
        case .server: return ["57P01", "57P02", "57P03", "08006", "08001", "08004"].contains(error.sqlState ?? "")
        case .poolClosed, .client: return false
        }
    }
}
