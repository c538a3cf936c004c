import MarelleCore
import MarelleDatabase
import MarelleStore

/// The development mail catcher (`mail.mode = capture`): the association's latest messages
/// of the outbox, as they would have been sent.
public struct CapturedMail: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func latest(tenant: Tenant) async throws -> [OutboxStore.Message] {
        try await database.withTenant(try tenant.scope()) { tx in try OutboxStore().latest(tx) }
    }
}
