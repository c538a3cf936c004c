import ArgumentParser
import MarelleApp
import MarelleCore
import MarelleDatabase
import MarelleStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Accounts of an association.",
        subcommands: [Invite.self, Disable.self, ResetSecondFactor.self])

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Invite a person: the account is created without a password and a link to choose one is e-mailed.")

        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "The association's slug.") var tenant: String
        @Option(name: .long, help: "The person's e-mail address.") var email: String
        @Option(name: .long, help: "parent, animateur or direction.") var role: String
        @Option(name: .long, help: "For a parent: the name of the new family.") var family: String?
        @Flag(name: .long, help: "Also print the invitation link (when mail is not set up yet).") var printLink = false

        func run() async throws {
            try await reportingErrors {
                guard let role = Role(rawValue: role) else {
                    throw TenantErrorLine("unknown role '\(role)': use parent, animateur or direction")
                }
                let runtime = try options.runtime()
                let target = try await runtime.tenants.require(slug: tenant)
                let (account, token) = try await runtime.invitations.invite(
                    tenant: target, email: email, role: role, familyName: family, by: .operator(operatorName))
                print("invited \(account.email) as \(role.rawValue) to \(target.slug); the invitation is in the outbox")
                if printLink {
                    print("/invitation?jeton=\(token)")
                }
                await runtime.shutdown()
            }
        }
    }
}

extension UserCommand {
    /// The account of `address` in `target`, or the command's one-line refusal.
    static func account(_ tx: Session, _ address: EmailAddress, in target: Tenant) throws -> Account {
        guard let account = try AccountStore().find(tx, email: address) else {
            throw TenantErrorLine("no account \(address.value) in \(target.slug)")
        }
        return account
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: its sessions, API tokens and pending links end at once.")

        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "The association's slug.") var tenant: String
        @Option(name: .long, help: "The account's e-mail address.") var email: String

        func run() async throws {
            try await reportingErrors {
                let runtime = try options.runtime()
                let target = try await runtime.tenants.require(slug: tenant)
                guard let address = EmailAddress(email) else { throw TenantErrorLine("'\(email)' is not an e-mail address") }
                try await runtime.database.withTenant(try target.scope()) { tx in
                    let account = try UserCommand.account(tx, address, in: target)
                    try AccountStore().disable(tx, id: account.id)
                    try AuditLog().record(tx, actor: .operator(operatorName), action: "account.disable", subject: account.email)
                }
                print("\(address.value) is disabled in \(target.slug); its sessions and tokens are ended")
                await runtime.shutdown()
            }
        }
    }
}

extension UserCommand {
    struct ResetSecondFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-second-factor",
            abstract:
                "Remove a staff member's authenticator and recovery codes (a lost phone): she sets one up again at her next sign-in if the association requires it."
        )

        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "The association's slug.") var tenant: String
        @Option(name: .long, help: "The account's e-mail address.") var email: String

        func run() async throws {
            try await reportingErrors {
                let runtime = try options.runtime()
                let target = try await runtime.tenants.require(slug: tenant)
                guard let address = EmailAddress(email) else { throw TenantErrorLine("'\(email)' is not an e-mail address") }
                try await runtime.database.withTenant(try target.scope()) { tx in
                    let account = try UserCommand.account(tx, address, in: target)
                    let store = SecondFactorStore()
                    guard try store.factor(tx, accountID: account.id) != nil else {
                        throw TenantErrorLine("\(address.value) has no second factor")
                    }
                    try store.remove(tx, accountID: account.id)
                    try AuditLog().record(
                        tx, actor: .operator(operatorName), action: "second_factor.reset", subject: account.email)
                }
                print("\(address.value) has no second factor any more in \(target.slug)")
                await runtime.shutdown()
            }
        }
    }
}
