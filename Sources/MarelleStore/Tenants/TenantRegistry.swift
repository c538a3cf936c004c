import MarelleCore

/// Finds the tenant a request is for, from its Host header alone. Only active tenants are
/// returned: an unknown or disabled host gets nothing, before any tenant SQL runs.
public struct TenantRegistry: Sendable {
    let store: TenantStore
    public let baseDomain: String

    public init(store: TenantStore, baseDomain: String) {
        self.store = store
        self.baseDomain = baseDomain
    }

    public func resolve(host: String) async throws -> Tenant? {
        let tenant: Tenant?
        switch HostName.resolve(host, baseDomain: baseDomain) {
        case .slug(let slug): tenant = try await store.find(slug: slug)
        case .extraHost(let name): tenant = try await store.find(extraHost: name)
        case .none: tenant = nil
        }
        guard let tenant, tenant.status == .active else { return nil }
        return tenant
    }

    /// The tenant's canonical origin, for links in e-mails: taken from the registry, never
    /// from a request's headers.
    public func origin(of tenant: Tenant, scheme: String, port: Int?) -> String {
        let portSuffix = port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(tenant.slug).\(baseDomain)\(portSuffix)"
    }
}
