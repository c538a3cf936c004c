/// What a request's Host header says about its tenant, before any database look-up.
public enum HostResolution: Sendable, Equatable {
    /// `<slug>.<base domain>`: the tenant is named by its slug.
    case slug(String)
    /// Any other well-formed host: it may be an extra host name registered for a tenant.
    case extraHost(String)
    /// Empty, malformed, or the bare base domain: no tenant.
    case none
}

public enum HostName {
    /// Lower-cases, drops the port and a trailing dot. Returns nil for anything that is not a
    /// plausible DNS name, so that odd bytes never reach a query or a log line.
    public static func normalize(_ raw: String) -> String? {
        var host = Substring(raw.lowercased())
        if host.hasPrefix("[") { return nil }  // IP literals never name a tenant
        if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            guard port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else { return nil }
            host = host[..<colon]
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        guard !host.isEmpty, host.utf8.count <= 253 else { return nil }
        let ok = host.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E
        }
        guard ok, !host.contains("..") else { return nil }
        return String(host)
    }

    /// Resolves a Host header against the base domain (`example.org`, `localhost`).
    public static func resolve(_ raw: String, baseDomain: String) -> HostResolution {
        guard let host = normalize(raw), let base = normalize(baseDomain) else { return .none }
        let suffix = "." + base
        if host.hasSuffix(suffix) {
            let label = String(host.dropLast(suffix.count))
            // Only one label: `a.b.example.org` is not the tenant `a`.
            if !label.contains("."), (try? TenantSlug(label)) != nil { return .slug(label) }
            return .none
        }
        if host == base { return .none }
        return .extraHost(host)
    }
}
