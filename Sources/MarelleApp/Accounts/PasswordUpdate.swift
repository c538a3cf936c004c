import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// What every new password goes through, whoever sets it (reset link, invitation, change
/// from "Mon compte"): the policy and the confirmation, then, in the caller's transaction,
/// the new hash, the end of other sessions and API tokens, a notice by mail, and the audit.
public struct PasswordUpdate: Sendable {
    public let policy: PasswordPolicy
    public let mail: MailComposer
    public let accounts = AccountStore()
    public let sessions = SessionStore()
    public let tokens = ApiTokenStore()
    public let outbox = OutboxStore()
    public let audit = AuditLog()

    /// Why `password` cannot be the account's new password, if it cannot.
    public func problem(_ password: String, confirmation: String, email: String, tenant: Tenant) -> PasswordProblem? {
        if password != confirmation { return .mismatch }
        return policy.check(password, email: EmailAddress(email), slug: tenant.slug)
    }

    public func apply(
        _ tx: Session, tenant: Tenant, account: Account, hash: String, keepingSession keep: String? = nil,
        notify: Bool, action: String, ip: String?
    ) throws {
        try accounts.setPassword(tx, id: account.id, hash: hash)
        try sessions.closeAll(tx, accountID: account.id, exceptHash: keep)
        try tokens.revokeAll(tx, accountID: account.id)
        if notify {
            let message = mail.speaking(to: account) { mail.passwordChanged(tenant) }
            try outbox.enqueue(tx, kind: message.kind, to: account.email, subject: message.subject, body: message.body)
        }
        try audit.record(tx, actor: .account(account), action: action, subject: account.email, ip: ip)
    }

    public init(policy: PasswordPolicy, mail: MailComposer) {
        self.policy = policy
        self.mail = mail
    }
}
