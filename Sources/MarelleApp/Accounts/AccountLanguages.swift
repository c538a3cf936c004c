import MarelleCore
import MarelleDatabase
import MarelleStore

/// The language an account chose with the footer's switch (kept for its next sign-in).
public struct AccountLanguages: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public func set(_ language: Language, tenant: Tenant, account: Account) async throws {
        try await database.withTenant(try tenant.scope()) { tx in
            try AccountStore().setLanguage(tx, id: account.id, language: language)
        }
    }
}
