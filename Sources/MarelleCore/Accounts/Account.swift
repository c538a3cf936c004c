import struct Foundation.Date

/// A person who can sign in to one association.
public struct Account: Sendable, Hashable, Identifiable {
    public let id: Int
    public let email: String
    public let displayName: String
    public let role: Role
    /// The family of a parent; nil for staff.
    public let familyID: Int?
    public let isDisabled: Bool
    /// False until the invited person has chosen a password.
    public let hasPassword: Bool
    /// The language chosen with the footer's switch; nil when never chosen.
    public let language: Language?

    public init(
        id: Int, email: String, displayName: String, role: Role, familyID: Int?, isDisabled: Bool, hasPassword: Bool,
        language: Language? = nil
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.familyID = familyID
        self.isDisabled = isDisabled
        self.hasPassword = hasPassword
        self.language = language
    }
}

/// Who did something, for the audit log.
public enum Actor: Sendable, Equatable {
    case account(Account)
    case `operator`(String)
    case system
    case anonymous

    public var kind: String {
        switch self {
        case .account(let a): a.role.isStaff ? "staff" : "parent"
        case .operator: "operator"
        case .system: "system"
        case .anonymous: "anonymous"
        }
    }
}
