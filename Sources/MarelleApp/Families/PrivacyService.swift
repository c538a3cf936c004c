import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Accepting and publishing the privacy text, for the pages and the API alike.
public struct PrivacyService: Sendable {
    public let database: Database
    public let mail: MailComposer
    public let privacy = PrivacyStore()
    public let audit = AuditLog()

    /// The text in force, and whether `accountID` (nil: nobody signed in) has accepted it.
    public func current(tenant: Tenant, accountID: Int?) async throws -> (text: PrivacyStore.Text, accepted: Bool) {
        let privacy = privacy
        return try await database.withTenant(try tenant.scope()) { tx in
            (try privacy.current(tx), try accountID.map { try privacy.hasAcceptedCurrent(tx, accountID: $0) } ?? true)
        }
    }

    /// Whether the account has accepted a version before (the page then says the text changed).
    public func acceptedBefore(tenant: Tenant, accountID: Int) async throws -> Bool {
        let privacy = privacy
        return try await database.withTenant(try tenant.scope()) { tx in try privacy.hasAcceptedAny(tx, accountID: accountID) }
    }

    /// Every published version, newest first.
    public func history(tenant: Tenant) async throws -> [PrivacyStore.Text] {
        let privacy = privacy
        return try await database.withTenant(try tenant.scope()) { tx in try privacy.history(tx) }
    }

    /// Records a parent's acceptance of `version`; false when there is no such version.
    public func accept(tenant: Tenant, account: Account, familyID: Int, version: Int, ip: String?) async throws -> Bool {
        try await database.withTenant(try tenant.scope()) { tx -> Bool in
            guard (1...(try privacy.current(tx).version)).contains(version) else { return false }
            try privacy.recordConsent(
                tx, familyID: familyID, accountID: account.id, subject: "privacy", certified: false, version: version)
            try audit.record(
                tx, actor: .account(account), action: "privacy.accept", subject: "family:\(familyID)", ip: ip,
                detail: ["version": String(version)])
            return true
        }
    }

    /// The text as submitted, normalised, or nil when empty or too long.
    public static func cleaned(_ body: String) -> String? {
        let text = body.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return (1...50_000).contains(text.count) ? text : nil
    }

    public static var invalidMessage: String { tr("PrivacyService.le_texte_est_vide_ou") }

    /// Publishes a new version and tells every active parent, in one transaction.
    public func publish(tenant: Tenant, staff: Account, body: String, ip: String?) async throws -> PrivacyStore.Text {
        try await database.withTenant(try tenant.scope()) { tx in
            let text = try privacy.publish(tx, body: body, by: staff.id)
            // Every parent gets it: composed once per language, not once per parent.
            var composed: [Language: MailComposer.Mail] = [:]
            for parent in try AccountStore().list(tx, role: .parent) where !parent.isDisabled {
                let language = MailComposer.language(of: parent)
                let message =
                    composed[language]
                    ?? mail.speaking(to: parent) { mail.privacyTextChanged(tenant, version: text.version) }
                composed[language] = message
                try OutboxStore().enqueue(tx, kind: message.kind, to: parent.email, subject: message.subject, body: message.body)
            }
            try audit.record(tx, actor: .account(staff), action: "privacy.publish", subject: "privacy:\(text.version)", ip: ip)
            return text
        }
    }

    public init(database: Database, mail: MailComposer) {
        self.database = database
        self.mail = mail
    }
}
