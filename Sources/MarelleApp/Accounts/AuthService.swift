import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Signing in, shared by the login page and `POST /api/v1/auth/login`: throttling per
/// account and per IP, Argon2 verification outside any database transaction (it takes tens
/// of milliseconds and must not hold a connection), hash upgrades and the audit trail.
public struct AuthService: Sendable {
    public let database: Database
    public let hasher: PasswordHasher
    public let accounts = AccountStore()
    public let throttle = ThrottleStore()
    public let audit = AuditLog()

    public enum Outcome: Sendable {
        case success(Account)
        case invalid
        case throttled(retryAfter: Int)
        /// Too many logins are being verified right now: try again in a moment.
        case busy
    }

    public func login(tenant: Tenant, email rawEmail: String, password: String, ip: String?) async throws -> Outcome {
        let email = EmailAddress(rawEmail)
        let keys = ["ip:\(ip ?? "unknown")"] + (email.map { ["account:\($0.value)"] } ?? [])
        let scope = try tenant.scope()
        let (wait, credentials) = try await database.withTenant(scope) { tx in
            let wait = try throttle.retryAfter(tx, keys: keys)
            return (wait, wait > 0 || email == nil ? nil : try accounts.credentials(tx, email: email!))
        }
        if wait > 0 {
            try await database.withTenant(scope) { tx in
                try audit.record(tx, actor: .anonymous, action: "login.throttled", subject: email?.value, ip: ip)
            }
            return .throttled(retryAfter: wait)
        }
        let matches: Bool
        do {
            matches = try await hasher.verify(password, against: credentials?.1)
        } catch PasswordHasher.Failure.busy {
            return .busy
        }
        guard matches, let (account, storedHash) = credentials, !account.isDisabled, let storedHash else {
            try await database.withTenant(scope) { tx in
                try throttle.recordFailure(tx, keys: keys)
                try audit.record(tx, actor: .anonymous, action: "login.failure", subject: email?.value, ip: ip)
            }
            return .invalid
        }
        let upgraded = hasher.needsRehash(storedHash) ? try? await hasher.hash(password) : nil
        try await database.withTenant(scope) { tx in
            try throttle.clear(tx, key: "account:\(account.email)")
            try accounts.recordLogin(tx, id: account.id)
            if let upgraded { try accounts.setPassword(tx, id: account.id, hash: upgraded) }
            try audit.record(
                tx, actor: .account(account), action: "login.success", subject: account.email, ip: ip,
                detail: upgraded == nil ? [:] : ["hash": "upgraded"])
        }
        return .success(account)
    }

    public init(database: Database, hasher: PasswordHasher) {
        self.database = database
        self.hasher = hasher
    }
}
