import Foundation
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Staff's second factor (TOTP, RFC 6238): enrolment from the account page or, when the
/// association requires one, right after the password; the code asked after the password;
/// recovery codes; the direction's rule. Shared by the pages and the API.
public struct SecondFactors: Sendable {
    let database: Database
    /// Nil when the configuration has no `secondFactorKey`: nothing can be enrolled.
    let box: SecretBox?
    let store = SecondFactorStore()
    let throttle = ThrottleStore()
    let audit = AuditLog()

    public init(database: Database, box: SecretBox?) {
        self.database = database
        self.box = box
    }

    public var isAvailable: Bool { box != nil }

    public struct Status: Sendable {
        public let enabled: Bool
        public let required: Bool
        public let recoveryCodesLeft: Int
        public let available: Bool
    }

    /// What the authenticator app needs: the secret as text, the `otpauth://` URI, its QR code.
    public struct Enrolment: Sendable {
        public let secret: String
        public let uri: String
        public let qrSVG: String
    }

    public enum Failure: Error, Sendable, Equatable {
        /// Parents do not enrol a second factor (the scope: staff accounts).
        case notStaff
        /// No `secondFactorKey` in the configuration.
        case unavailable
        case alreadyEnabled
        case notEnabled
        /// No enrolment started, or the code typed is not the app's.
        case wrongCode
        /// The association requires a second factor: it cannot be removed.
        case required
        /// The direction turns the rule on only once her own account has a second factor.
        case actorHasNone
        /// The link between password and code has expired or was used.
        case expiredChallenge
    }

    public func status(tenant: Tenant, account: Account) async throws -> Status {
        let available = isAvailable
        return try await database.withTenant(try tenant.scope()) { tx in
            let factor = try store.factor(tx, accountID: account.id)
            return Status(
                enabled: factor?.confirmed == true, required: try store.isRequired(tx),
                recoveryCodesLeft: try store.recoveryCodesLeft(tx, accountID: account.id), available: available)
        }
    }

    /// Starts (or starts again) an enrolment for a signed-in staff member.
    public func begin(tenant: Tenant, account: Account) async throws(Failure) -> Enrolment {
        guard account.role.isStaff else { throw .notStaff }
        do {
            return try await database.withTenant(try tenant.scope()) { tx in
                try beginEnrolment(tx, account: account, tenant: tenant)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .unavailable
        }
    }

    /// Confirms an enrolment with the app's first code: the factor is on, and here are the
    /// recovery codes (shown once).
    public func confirm(tenant: Tenant, account: Account, code: String, ip: String?) async throws -> Result<[String], Failure> {
        try await database.withTenant(try tenant.scope()) { tx in try confirmEnrolment(tx, account: account, code: code, ip: ip) }
    }

    /// Removes the factor; a current code (or a recovery code) proves the person holds it.
    public func disable(tenant: Tenant, account: Account, code: String, ip: String?) async throws -> Failure? {
        try await database.withTenant(try tenant.scope()) { tx -> Failure? in
            // The rule is checked before a code is spent on a removal it forbids.
            if try store.isRequired(tx) {
                return try store.factor(tx, accountID: account.id)?.confirmed == true ? .required : .notEnabled
            }
            if let refusal = try prove(tx, account: account, code: code) { return refusal }
            try store.remove(tx, accountID: account.id)
            try audit.record(tx, actor: .account(account), action: "second_factor.remove", subject: account.email, ip: ip)
            return nil
        }
    }

    /// Ten new recovery codes in place of the old ones, against a current code.
    public func newRecoveryCodes(tenant: Tenant, account: Account, code: String, ip: String?) async throws -> Result<
        [String], Failure
    > {
        try await database.withTenant(try tenant.scope()) { tx -> Result<[String], Failure> in
            if let refusal = try prove(tx, account: account, code: code) { return .failure(refusal) }
            let codes = RecoveryCodes.generate()
            try store.replaceRecoveryCodes(tx, accountID: account.id, hashes: codes.map(RecoveryCodes.digest))
            try audit.record(tx, actor: .account(account), action: "second_factor.recovery_codes", subject: account.email, ip: ip)
            return .success(codes)
        }
    }

    /// A signed-in person proves she holds her factor: nil, or why not. A wrong code counts in
    /// the account's login throttle, as at sign-in.
    private func prove(_ tx: Session, account: Account, code: String) throws -> Failure? {
        guard let factor = try store.factor(tx, accountID: account.id, locking: true), factor.confirmed else {
            return .notEnabled
        }
        guard try verify(tx, account: account, factor: factor, code: code) else {
            try throttle.recordFailure(tx, keys: ["account:\(account.email)"])
            return .wrongCode
        }
        return nil
    }

    /// The direction's rule. Turning it on needs her own factor; it ends the sessions and
    /// tokens of staff who have none (they enrol at their next sign-in).
    public func setRequired(tenant: Tenant, actor: Account, _ required: Bool, ip: String?) async throws -> Failure? {
        guard actor.role == .direction else { return .notStaff }
        if required && !isAvailable { return .unavailable }
        return try await database.withTenant(try tenant.scope()) { tx -> Failure? in
            if required {
                guard try store.factor(tx, accountID: actor.id)?.confirmed == true else { return .actorHasNone }
                // A team is a handful of accounts: the stores' own sign-out, one account at a time.
                for id in try store.staffWithoutFactor(tx) {
                    _ = try SessionStore().closeAll(tx, accountID: id)
                    try ApiTokenStore().revokeAll(tx, accountID: id)
                }
            }
            try store.setRequired(tx, required, displayName: tenant.displayName)
            try audit.record(
                tx, actor: .account(actor), action: required ? "second_factor.require" : "second_factor.optional", ip: ip)
            return nil
        }
    }

    // MARK: - Between the password and the session

    /// What a login needs after a right password: nothing more, a code, or an enrolment.
    /// Runs in the login's transaction.
    func gate(_ tx: Session, account: Account) throws -> SecondFactorStore.Purpose? {
        guard account.role.isStaff else { return nil }
        if try store.factor(tx, accountID: account.id)?.confirmed == true { return .code }
        return try store.isRequired(tx) ? .enrol : nil
    }

    /// The code typed after the password (on the page's second step, or in the API's body).
    /// True when it is the app's current code or an unused recovery code.
    func check(_ tx: Session, account: Account, code: String) throws -> Bool {
        guard let factor = try store.factor(tx, accountID: account.id, locking: true), factor.confirmed else { return false }
        return try verify(tx, account: account, factor: factor, code: code)
    }

    /// Verifies and spends a code: a TOTP step is recorded (never accepted twice), a recovery
    /// code is marked used.
    private func verify(_ tx: Session, account: Account, factor: SecondFactorStore.Factor, code: String) throws -> Bool {
        if RecoveryCodes.looksLikeOne(code) {
            return try store.useRecoveryCode(tx, accountID: account.id, hash: RecoveryCodes.digest(code))
        }
        guard let box, let secret = try? box.open(factor.sealedSecret),
            let step = TOTP(secret: secret).matchingStep(code, at: Date(), after: factor.lastStep)
        else { return false }
        try store.recordStep(tx, accountID: account.id, step: step)
        return true
    }

    func beginEnrolment(_ tx: Session, account: Account, tenant: Tenant) throws -> Enrolment {
        guard let box else { throw Failure.unavailable }
        let existing = try store.factor(tx, accountID: account.id)
        if existing?.confirmed == true { throw Failure.alreadyEnabled }
        // An enrolment under way keeps its secret: the page shown again after a wrong code
        // or a reload still matches what the app has scanned.
        let secret: [UInt8]
        if let existing, let opened = try? box.open(existing.sealedSecret) {
            secret = opened
        } else {
            secret = TOTP.newSecret()
            try store.begin(tx, accountID: account.id, sealedSecret: box.seal(secret))
        }
        let uri = TOTP(secret: secret).provisioningURI(issuer: tenant.displayName, account: account.email)
        return Enrolment(
            secret: Base32.encode(secret), uri: uri,
            qrSVG: QRCode.svg(uri, title: tr("SecondFactors.code_qr_a_scanner_avec")) ?? "")
    }

    func confirmEnrolment(_ tx: Session, account: Account, code: String, ip: String?) throws -> Result<[String], Failure> {
        guard let box else { return .failure(.unavailable) }
        guard let factor = try store.factor(tx, accountID: account.id, locking: true) else { return .failure(.wrongCode) }
        if factor.confirmed { return .failure(.alreadyEnabled) }
        guard let secret = try? box.open(factor.sealedSecret),
            let step = TOTP(secret: secret).matchingStep(code, at: Date(), after: nil)
        else { return .failure(.wrongCode) }
        let codes = RecoveryCodes.generate()
        try store.confirm(tx, accountID: account.id, step: step, recoveryCodeHashes: codes.map(RecoveryCodes.digest))
        try audit.record(tx, actor: .account(account), action: "second_factor.enrol", subject: account.email, ip: ip)
        return .success(codes)
    }
}
