/// Why an operator's tenant command was refused. Each case is one line for the terminal.
public enum TenantError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidSlug(String)
    case invalidName
    case slugTaken(String)
    case unknownTenant(String)
    case invalidHost(String)
    case hostTaken(String)
    case hostUnderBaseDomain(String)

    public var description: String {
        switch self {
        case .invalidSlug(let reason): "invalid slug: \(reason)"
        case .invalidName: "the display name must have 1 to 200 characters"
        case .slugTaken(let s): "a tenant named '\(s)' already exists"
        case .unknownTenant(let s): "no tenant named '\(s)'"
        case .invalidHost(let h): "'\(h)' is not a valid host name"
        case .hostTaken(let h): "the host '\(h)' is already registered"
        case .hostUnderBaseDomain(let h):
            "'\(h)' is under the base domain: it already names a tenant by its first label"
        }
    }
}
