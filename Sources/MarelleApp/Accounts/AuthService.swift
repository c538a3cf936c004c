import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Signing in, shared by the login page and `POST /api/v1/auth/login`: throttling per
/// account and per IP, Argon2 verification outside any database transaction (it takes tens
/// of milliseconds and must not hold a connection), hash upgrades, staff's second factor
/// and the audit trail.
public struct AuthService: Sendable {
    public let database: Database
    public let hasher: PasswordHasher
    public let secondFactors: SecondFactors
    public let accounts = AccountStore()
    public let throttle = ThrottleStore()
    public let audit = AuditLog()

    public enum Outcome: Sendable {
        case success(Account)
        case invalid
        case throttled(retryAfter: Int)
        /// Too many logins are being verified right now: try again in a moment.
        case busy
        /// The password was right; the account's second factor comes next (a code, or an
        /// enrolment the association requires). `challenge` carries the sign-in to that step.
        case secondFactor(challenge: String, purpose: SecondFactorStore.Purpose)
        /// The code typed is neither the app's current one nor an unused recovery code.
        case wrongCode
        /// The step between password and code took too long, failed too often, or was used.
        case expiredChallenge
    }

    /// `code`: the second factor given with the password (the API's one-call login).
    public func login(
        tenant: Tenant, email rawEmail: String, password: String, code: String? = nil, ip: String?
    ) async throws -> Outcome {
        let email = EmailAddress(rawEmail)
        let keys = Self.throttleKeys(ip: ip, email: email?.value)
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
        return try await database.withTenant(scope) { tx -> Outcome in
            if let upgraded { try accounts.setPassword(tx, id: account.id, hash: upgraded) }
            switch try secondFactors.gate(tx, account: account) {
            case nil:
                break
            case .code?:
                guard let code, !code.isEmpty else { return try pending(tx, account: account, purpose: .code) }
                guard try secondFactors.check(tx, account: account, code: code) else {
                    return try refuseCode(tx, account: account, keys: keys, ip: ip)
                }
            case .enrol?:
                return try pending(tx, account: account, purpose: .enrol)
            }
            try signedIn(tx, account: account, ip: ip, detail: upgraded == nil ? [:] : ["hash": "upgraded"])
            return .success(account)
        }
    }

    /// The second step of a staff sign-in: the code typed against the challenge the password opened.
    public func complete(tenant: Tenant, challenge: String, code: String, ip: String?) async throws -> Outcome {
        try await database.withTenant(try tenant.scope()) { tx -> Outcome in
            let step = try open(tx, challenge: challenge, purpose: .code, ip: ip)
            guard case .open(let account, let keys) = step else { return step.refusal ?? .expiredChallenge }
            guard try secondFactors.check(tx, account: account, code: code) else {
                try secondFactors.store.failChallenge(tx, token: challenge)
                return try refuseCode(tx, account: account, keys: keys, ip: ip)
            }
            try secondFactors.store.closeChallenge(tx, token: challenge)
            try signedIn(tx, account: account, ip: ip, detail: ["second_factor": "code"])
            return .success(account)
        }
    }

    /// The authenticator to set up when the association requires one and the account has
    /// none; the same secret each time until it is confirmed (a reload keeps what was scanned).
    public func enrolment(tenant: Tenant, challenge: String) async throws -> SecondFactors.Enrolment? {
        try await database.withTenant(try tenant.scope()) { tx -> SecondFactors.Enrolment? in
            guard let (account, purpose) = try secondFactors.store.challenge(tx, token: challenge), purpose == .enrol else {
                return nil
            }
            return try secondFactors.beginEnrolment(tx, account: account, tenant: tenant)
        }
    }

    /// The enrolment's first code: the factor is on, the person is signed in, and here are the
    /// recovery codes, shown once.
    public func completeEnrolment(
        tenant: Tenant, challenge: String, code: String, ip: String?
    ) async throws -> (outcome: Outcome, recoveryCodes: [String]) {
        try await database.withTenant(try tenant.scope()) { tx -> (outcome: Outcome, recoveryCodes: [String]) in
            let step = try open(tx, challenge: challenge, purpose: .enrol, ip: ip)
            guard case .open(let account, let keys) = step else { return (step.refusal ?? .expiredChallenge, []) }
            switch try secondFactors.confirmEnrolment(tx, account: account, code: code, ip: ip) {
            case .success(let codes):
                try secondFactors.store.closeChallenge(tx, token: challenge)
                try signedIn(tx, account: account, ip: ip, detail: ["second_factor": "enrolled"])
                return (.success(account), codes)
            case .failure:
                try secondFactors.store.failChallenge(tx, token: challenge)
                return (try refuseCode(tx, account: account, keys: keys, ip: ip), [])
            }
        }
    }

    /// A challenge of `purpose`, live, its account not waiting out a lock: what both code
    /// steps check before they look at the code.
    private enum ChallengeStep {
        case open(Account, keys: [String])
        case refused(Outcome)

        var refusal: Outcome? {
            if case .refused(let outcome) = self { return outcome }
            return nil
        }
    }

    private func open(
        _ tx: Session, challenge: String, purpose: SecondFactorStore.Purpose, ip: String?
    ) throws -> ChallengeStep {
        guard let (account, found) = try secondFactors.store.challenge(tx, token: challenge), found == purpose else {
            return .refused(.expiredChallenge)
        }
        let keys = Self.throttleKeys(ip: ip, email: account.email)
        let wait = try throttle.retryAfter(tx, keys: keys)
        return wait > 0 ? .refused(.throttled(retryAfter: wait)) : .open(account, keys: keys)
    }

    /// The login throttle's keys: the network address, and the account when the address typed is one.
    static func throttleKeys(ip: String?, email: String?) -> [String] {
        ["ip:\(ip ?? "unknown")"] + (email.map { ["account:\($0)"] } ?? [])
    }

    private func pending(_ tx: Session, account: Account, purpose: SecondFactorStore.Purpose) throws -> Outcome {
        .secondFactor(
            challenge: try secondFactors.store.openChallenge(tx, accountID: account.id, purpose: purpose), purpose: purpose)
    }

    /// A wrong code counts as a failed login for the account and the address: five of them
    /// and the account waits, as after wrong passwords.
    private func refuseCode(_ tx: Session, account: Account, keys: [String], ip: String?) throws -> Outcome {
        try throttle.recordFailure(tx, keys: keys)
        try audit.record(tx, actor: .account(account), action: "login.second_factor_failure", subject: account.email, ip: ip)
        return .wrongCode
    }

    private func signedIn(_ tx: Session, account: Account, ip: String?, detail: [String: String]) throws {
        try throttle.clear(tx, key: "account:\(account.email)")
        try accounts.recordLogin(tx, id: account.id)
        try audit.record(tx, actor: .account(account), action: "login.success", subject: account.email, ip: ip, detail: detail)
    }

    public init(database: Database, hasher: PasswordHasher, secondFactors: SecondFactors) {
        self.database = database
        self.hasher = hasher
        self.secondFactors = secondFactors
    }
}
