import Hummingbird
import MarelleCore

/// What a request carries through the middleware: its tenant, once resolved from the Host.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var tenant: Tenant?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.tenant = nil
    }

    /// The tenant; only routes behind `TenantMiddleware` may ask.
    public func requireTenant() throws -> Tenant {
        guard let tenant else { throw HTTPError(.notFound) }
        return tenant
    }
}
