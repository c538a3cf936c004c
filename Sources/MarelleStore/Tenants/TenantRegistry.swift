import Foundation
import MarelleCore
import Synchronization

/// Finds the tenant a request is for, from its Host header alone. Only active tenants are
/// returned: an unknown or disabled host gets nothing, before any tenant SQL runs.
///
/// Answers are remembered for `freshness` (2 s by default): every request used to cost a
/// control-table query and a pool connection of its own, even a style sheet. A tenant
/// disabled, moved or created by the CLI (another process) is seen within that time by every
/// server process.
public struct TenantRegistry: Sendable {
    let store: TenantStore
    public let baseDomain: String
    let freshness: Duration
    private let cache = Cache()

    public init(store: TenantStore, baseDomain: String, freshness: Duration = .seconds(2)) {
        self.store = store
        self.baseDomain = baseDomain
        self.freshness = freshness
    }

    public func resolve(host: String) async throws -> Tenant? {
        let now = ContinuousClock.now
        if let (tenant, until) = cache.entries.withLock({ $0[host] }), now < until { return tenant }
        let tenant: Tenant?
        switch HostName.resolve(host, baseDomain: baseDomain) {
        case .slug(let slug): tenant = try await store.find(slug: slug)
        case .extraHost(let name): tenant = try await store.find(extraHost: name)
        case .none: tenant = nil
        }
        // A moving tenant still answers (read-only: TenantMiddleware); a disabled one does not.
        let active = tenant?.status == .active || tenant?.status == .moving ? tenant : nil
        cache.entries.withLock { entries in
            // Unknown hosts are remembered too (a scan of random names must not reach the
            // database each time), within a bound.
            if entries.count >= Cache.limit { entries.removeAll(keepingCapacity: true) }
            entries[host] = (active, now + freshness)
        }
        return active
    }

    /// Forgets every remembered answer (after this process changed a tenant).
    public func forget() {
        cache.entries.withLock { $0.removeAll() }
    }

    private final class Cache: Sendable {
        static let limit = 10_000
        let entries = Mutex<[String: (Tenant?, ContinuousClock.Instant)]>([:])
    }

    /// The tenant's canonical origin, for links in e-mails: taken from the registry, never
    /// from a request's headers.
    public func origin(of tenant: Tenant, scheme: String, port: Int?) -> String {
        let portSuffix = port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(tenant.slug).\(baseDomain)\(portSuffix)"
    }
}
