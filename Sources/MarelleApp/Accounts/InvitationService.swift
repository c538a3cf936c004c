import Foundation
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Creates an account with no password and mails it a single-use link to choose one: how
/// every account comes to exist (`marelle user invite` for the first staff member, the staff
/// page for parents). No password ever travels by e-mail.
public struct InvitationService: Sendable {
    public let database: Database
    public let mail: MailComposer
    public let accounts = AccountStore()
    public let links = AccountLinkStore()
    public let outbox = OutboxStore()
    public let audit = AuditLog()

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidEmail(String)
        case alreadyExists(String)
        /// Not ASCII, and looks like an existing account's address (the second).
        case lookalike(String, String)
        case missingFamilyName

        public var description: String { message }

        public var message: String {
            switch self {
            case .invalidEmail(let e): tr("InvitationService.1_n_est_pas_une", e)
            case .alreadyExists(let e): tr("InvitationService.un_compte_existe_deja_pour", e)
            case .lookalike(let e, let existing):
                tr("InvitationService.1_se_lit_comme_l", e, existing)
            case .missingFamilyName: tr("InvitationService.indiquez_le_nom_de_la")
            }
        }
    }

    /// Invites one person; a parent joins the family `existingFamily`, or a new family named
    /// `familyName`. Returns the account and the link's token (for the operator's terminal;
    /// staff pages never show it).
    @discardableResult
    public func invite(
        tenant: Tenant, email rawEmail: String, role: Role, familyName: String?, existingFamily: Int? = nil, by actor: Actor
    ) async throws -> (Account, String) {
        guard let email = EmailAddress(rawEmail) else { throw Failure.invalidEmail(rawEmail) }
        let family = familyName?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if role == .parent && family.isEmpty && existingFamily == nil { throw Failure.missingFamilyName }
        return try await database.withTenant(try tenant.scope()) { tx in
            var familyID: Int? = existingFamily
            if role == .parent && familyID == nil { familyID = try FamilyStore().create(tx, name: family) }
            return try invite(
                in: tx, tenant: tenant, email: email, role: role, familyID: role == .parent ? familyID : nil, by: actor)
        }
    }

    /// The same inside a caller's transaction (the CSV import invites many or none). A
    /// parent's account is linked to `guardianID` when given, else to a new, empty card.
    public func invite(
        in tx: Session, tenant: Tenant, email: EmailAddress, role: Role, familyID: Int?, guardianID: Int? = nil, by actor: Actor
    ) throws -> (Account, String) {
        // Only an address with a letter outside ASCII is compared: the rare case, and the
        // one that can pass for somebody else's.
        if !email.value.allSatisfy(\.isASCII), let existing = Confusables.lookalike(of: email, among: try accounts.emails(tx)) {
            throw Failure.lookalike(email.value, existing)
        }
        guard let account = try accounts.create(tx, email: email, role: role, familyID: familyID) else {
            throw Failure.alreadyExists(email.value)
        }
        if let familyID {
            if let guardianID {
                try FamilyFileStore().linkAccount(tx, guardianID: guardianID, familyID: familyID, accountID: account.id)
            } else {
                // The parent's card in the family file, to be completed at first sign-in.
                var guardian = GuardianDraft()
                guardian.email = email.value
                try FamilyFileStore().addGuardian(tx, familyID: familyID, accountID: account.id, guardian)
            }
        }
        let creator: Int? = if case .account(let a) = actor { a.id } else { nil }
        let token = try links.create(tx, kind: .invitation, accountID: account.id, createdBy: creator)
        let message = mail.invitation(tenant, token: token, role: role)
        try outbox.enqueue(tx, kind: message.kind, to: account.email, subject: message.subject, body: message.body)
        try audit.record(tx, actor: actor, action: "account.invite", subject: account.email, detail: ["role": role.rawValue])
        return (account, token)
    }

    public init(database: Database, mail: MailComposer) {
        self.database = database
        self.mail = mail
    }
}
