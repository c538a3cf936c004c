import MarelleCore
import MarelleDatabase
import MarelleStore
import Synchronization

/// Who asks, as the request presented itself: a browser session's cookie or an API bearer
/// token. The check is a query in the tenant's schema; a use case that takes a `Caller` runs
/// it as the first statement of its own transaction, so that a page costs one transaction
/// instead of two (`make bench`: the check's transaction was a third of Mon calendrier's
/// round trips). A caller checked already (by a middleware, for a form) is not checked again.
public final class Caller: Sendable {
    public enum Credential: Sendable {
        case session(id: String)
        case bearer(token: String)
    }

    /// What the check found; nil inside means the credential is unknown, expired or revoked.
    public enum Finding: Sendable {
        case session(SessionStore.Current?)
        case bearer(Account?)

        public var account: Account? {
            switch self {
            case .session(let session): session?.account
            case .bearer(let account): account
            }
        }
    }

    public let credential: Credential
    private let finding: Mutex<Finding?>

    public init(_ credential: Credential, found: Finding? = nil) {
        self.credential = credential
        self.finding = Mutex(found)
    }

    /// What the check found, once it ran; nil before.
    public var found: Finding? { finding.withLock { $0 } }

    /// The browser session, once checked.
    public var session: SessionStore.Current? {
        if case .session(let session) = found { return session }
        return nil
    }

    /// The account, once checked.
    public var account: Account? { found?.account }

    /// Runs the check inside `tx` (once per request) and returns what it found.
    func check(_ tx: Session) throws -> Finding {
        if let found { return found }
        let checked: Finding =
            switch credential {
            case .session(let id): .session(try SessionStore().resume(tx, id: id))
            case .bearer(let token): .bearer(try ApiTokenStore().authenticate(tx, token: token))
            }
        finding.withLock { $0 = checked }
        return checked
    }

    /// The signed-in account, or `CallerRefusal.unknown`.
    func account(_ tx: Session) throws -> Account {
        guard let account = try check(tx).account else { throw CallerRefusal.unknown }
        return account
    }

    /// The signed-in parent's family, or a refusal (staff have no family to book for).
    func familyID(_ tx: Session) throws -> Int {
        guard let family = try account(tx).familyID else { throw CallerRefusal.notAParent }
        return family
    }
}

/// Why a use case refused its caller; the web layer answers 401 or the login page, and 403.
public enum CallerRefusal: Error, Sendable {
    /// The cookie or token is unknown, expired or revoked.
    case unknown
    /// A parent's page or operation asked by a staff account.
    case notAParent
}
