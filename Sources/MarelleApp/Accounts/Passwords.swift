import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// "Mot de passe oublié", the links that let a person choose a password (reset or
/// invitation), and changing one's password from "Mon compte". Hashing happens outside the
/// transactions (on the bounded Argon2 pool), never while a connection is held.
public struct Passwords: Sendable {
    let database: Database
    let hasher: PasswordHasher
    let update: PasswordUpdate
    let mail: MailComposer
    let accounts = AccountStore()
    let links = AccountLinkStore()
    let throttle = ThrottleStore()
    let outbox = OutboxStore()
    let audit = AuditLog()

    public init(database: Database, hasher: PasswordHasher, update: PasswordUpdate, mail: MailComposer) {
        (self.database, self.hasher, self.update, self.mail) = (database, hasher, update, mail)
    }

    /// A second reset mail to one account within this many minutes is not sent: the first
    /// link still works for half an hour, and a button pressed six times must not send six.
    public static let resetMailGapMinutes = 5

    /// Mails a reset link when the address has an active account; does the same work, and
    /// leaves the same trace in time, when it has none (the caller answers the same words).
    /// Throttled twice, silently (the page says the same either way): per account by
    /// `resetMailGapMinutes`, per network address like failed logins (five an hour, then a
    /// doubling wait), under a key of its own so that it never locks anyone's login.
    public func requestReset(tenant: Tenant, email: EmailAddress, ip: String?) async throws {
        // One Argon2 verification whatever happens next, so that the time taken does not
        // tell whether the address has an account.
        _ = try? await hasher.verify(email.value, against: nil)
        let (accounts, links, outbox, audit, mail, throttle) = (accounts, links, outbox, audit, mail, throttle)
        try await database.withTenant(try tenant.scope()) { tx in
            let addressKey = "reset-ip:\(ip ?? "unknown")"
            let addressLocked = try throttle.retryAfter(tx, keys: [addressKey]) > 0
            try throttle.recordFailure(tx, keys: [addressKey])
            guard !addressLocked else {
                try audit.record(tx, actor: .anonymous, action: "password.reset-throttled", ip: ip)
                return
            }
            guard let account = try accounts.find(tx, email: email), !account.isDisabled else {
                try audit.record(tx, actor: .anonymous, action: "password.reset-requested.unknown", ip: ip)
                return
            }
            guard try !links.createdRecently(tx, kind: .reset, accountID: account.id, minutes: Self.resetMailGapMinutes) else {
                try audit.record(tx, actor: .anonymous, action: "password.reset-throttled", subject: account.email, ip: ip)
                return
            }
            let token = try links.create(tx, kind: .reset, accountID: account.id, createdBy: nil)
            let message = mail.speaking(to: account) { mail.passwordReset(tenant, token: token) }
            try outbox.enqueue(tx, kind: message.kind, to: account.email, subject: message.subject, body: message.body)
            try audit.record(tx, actor: .anonymous, action: "password.reset-requested", subject: account.email, ip: ip)
        }
    }

    /// The account a live link is for; nil when the link is unknown, used or expired.
    public func linkAccount(tenant: Tenant, kind: AccountLinkStore.Kind, token: String) async throws -> Account? {
        let links = links
        return try await database.withTenant(try tenant.scope()) { tx in try links.peek(tx, kind: kind, token: token) }
    }

    public enum Outcome: Sendable {
        /// The password is set; the account whose it is.
        case done(Account)
        /// The link is unknown, used or expired (or the current password is wrong).
        case refused
        case problem(PasswordProblem)
    }

    /// A password chosen through a link: the policy first, then, in one transaction, the link
    /// used up, the new hash, the other sessions ended, and the account's lock-out lifted (the
    /// person proved they hold the mailbox). The network address's lock stays: lifting it
    /// would let anyone with a mailbox go on guessing other accounts' passwords from there.
    public func choose(
        tenant: Tenant, kind: AccountLinkStore.Kind, token: String, password: String, confirmation: String, ip: String?
    ) async throws -> Outcome {
        guard let account = try await linkAccount(tenant: tenant, kind: kind, token: token) else { return .refused }
        if let problem = update.problem(password, confirmation: confirmation, email: account.email, tenant: tenant) {
            return .problem(problem)
        }
        let hash = try await hasher.hash(password)
        let (links, update, throttle) = (links, update, throttle)
        let done = try await database.withTenant(try tenant.scope()) { tx -> Account? in
            guard let account = try links.consume(tx, kind: kind, token: token) else { return nil }
            try update.apply(
                tx, tenant: tenant, account: account, hash: hash, notify: kind == .reset,
                action: kind == .reset ? "password.reset" : "account.activate", ip: ip)
            try throttle.clear(tx, key: "account:\(account.email)")
            return account
        }
        return done.map { .done($0) } ?? .refused
    }

    /// Changing one's password: the current one checked, the policy, then the new hash and the
    /// end of the other sessions (`keepingSession` stays).
    public func change(
        tenant: Tenant, account: Account, current: String, password: String, confirmation: String, keepingSession: String?,
        ip: String?
    ) async throws -> Outcome {
        let accounts = accounts
        let stored = try await database.withTenant(try tenant.scope()) { tx in try accounts.passwordHash(tx, id: account.id) }
        guard try await hasher.verify(current, against: stored) else { return .refused }
        if let problem = update.problem(password, confirmation: confirmation, email: account.email, tenant: tenant) {
            return .problem(problem)
        }
        let hash = try await hasher.hash(password)
        let update = update
        try await database.withTenant(try tenant.scope()) { tx in
            try update.apply(
                tx, tenant: tenant, account: account, hash: hash, keepingSession: keepingSession, notify: true,
                action: "password.change", ip: ip)
        }
        return .done(account)
    }
}
