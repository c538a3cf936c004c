import Foundation
import MarelleAuth
import MarelleCore

/// Reads the configuration: the JSON file, then environment overrides, then validation that
/// lists every problem at once (an operator fixes them in one go, not one per restart).
public enum ConfigurationLoader {
    public struct Invalid: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String {
            "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }

        public init(problems: [String]) {
            self.problems = problems
        }
    }

    /// Each environment variable and the key it overrides.
    public static let overrides: [(name: String, apply: @Sendable (inout MarelleConfiguration, String) -> String?)] = [
        (
            "MARELLE_DATABASE_URL",
            { c, v in
                c.database.url = v; return nil
            }
        ),
        ("MARELLE_DATABASE_POOL_SIZE", { c, v in int(v, "MARELLE_DATABASE_POOL_SIZE") { c.database.poolSize = $0 } }),
        (
            "MARELLE_DATABASE_ACQUIRE_TIMEOUT_SECONDS",
            { c, v in
                int(v, "MARELLE_DATABASE_ACQUIRE_TIMEOUT_SECONDS") { c.database.acquireTimeoutSeconds = $0 }
            }
        ),
        (
            "MARELLE_CLUSTERS",
            { c, v in
                guard let map = try? JSONDecoder().decode([String: String].self, from: Data(v.utf8)) else {
                    return "MARELLE_CLUSTERS must be a JSON object of cluster names to connection strings"
                }
                c.clusters = map
                return nil
            }
        ),
        (
            "MARELLE_DATABASE_SERVING_ROLE",
            { c, v in
                c.database.servingRole = v.isEmpty ? nil : v; return nil
            }
        ),
        (
            "MARELLE_HTTP_HOST",
            { c, v in
                c.http.host = v; return nil
            }
        ),
        ("MARELLE_HTTP_PORT", { c, v in int(v, "MARELLE_HTTP_PORT") { c.http.port = $0 } }),
        (
            "MARELLE_HTTP_PUBLIC_SCHEME",
            { c, v in
                c.http.publicScheme = v; return nil
            }
        ),
        (
            "MARELLE_HTTP_PUBLIC_PORT",
            { c, v in
                v.isEmpty
                    ? {
                        c.http.publicPort = nil; return nil
                    }() : int(v, "MARELLE_HTTP_PUBLIC_PORT") { c.http.publicPort = $0 }
            }
        ),
        (
            "MARELLE_METRICS_HOST",
            { c, v in
                c.metrics.host = v; return nil
            }
        ),
        (
            "MARELLE_METRICS_PORT",
            { c, v in
                v.isEmpty
                    ? {
                        c.metrics.port = nil; return nil
                    }() : int(v, "MARELLE_METRICS_PORT") { c.metrics.port = $0 }
            }
        ),
        (
            "MARELLE_BASE_DOMAIN",
            { c, v in
                c.baseDomain = v; return nil
            }
        ),
        ("MARELLE_DEVELOPMENT", { c, v in bool(v, "MARELLE_DEVELOPMENT") { c.development = $0 } }),
        (
            "MARELLE_LOG_LEVEL",
            { c, v in
                c.logLevel = v; return nil
            }
        ),
        (
            "MARELLE_PATHS_SQL",
            { c, v in
                c.paths.sql = v; return nil
            }
        ),
        (
            "MARELLE_MAIL_MODE",
            { c, v in
                c.mail.mode = v; return nil
            }
        ),
        (
            "MARELLE_MAIL_FROM",
            { c, v in
                c.mail.from = v; return nil
            }
        ),
        (
            "MARELLE_MAIL_POLL_INTERVAL_SECONDS",
            { c, v in
                int(v, "MARELLE_MAIL_POLL_INTERVAL_SECONDS") { c.mail.pollIntervalSeconds = $0 }
            }
        ),
        (
            "MARELLE_MAIL_DECISION_DIGEST_SECONDS",
            { c, v in
                int(v, "MARELLE_MAIL_DECISION_DIGEST_SECONDS") { c.mail.decisionDigestSeconds = $0 }
            }
        ),
        ("MARELLE_MAIL_DELIVER", { c, v in bool(v, "MARELLE_MAIL_DELIVER") { c.mail.deliver = $0 } }),
        (
            "MARELLE_MAIL_SMTP_HOST",
            { c, v in
                c.mail.smtp.host = v; return nil
            }
        ),
        ("MARELLE_MAIL_SMTP_PORT", { c, v in int(v, "MARELLE_MAIL_SMTP_PORT") { c.mail.smtp.port = $0 } }),
        (
            "MARELLE_MAIL_SMTP_SECURITY",
            { c, v in
                c.mail.smtp.security = v; return nil
            }
        ),
        (
            "MARELLE_MAIL_SMTP_USERNAME",
            { c, v in
                c.mail.smtp.username = v; return nil
            }
        ),
        (
            "MARELLE_MAIL_SMTP_PASSWORD",
            { c, v in
                c.mail.smtp.password = v; return nil
            }
        ),
        (
            "MARELLE_MAIL_SMTP_CA_FILE",
            { c, v in
                c.mail.smtp.caFile = v; return nil
            }
        ),
        (
            "MARELLE_SECOND_FACTOR_KEY",
            { c, v in
                c.secondFactorKey = v.isEmpty ? nil : v; return nil
            }
        ),
        (
            "MARELLE_PAYMENTS_KEY",
            { c, v in
                c.paymentsKey = v.isEmpty ? nil : v; return nil
            }
        ),
    ]

    /// `path` is `--config`, else `MARELLE_CONFIG`, else none (defaults and environment only).
    public static func load(path: String?, environment: [String: String]) throws -> MarelleConfiguration {
        var problems: [String] = []
        var config = MarelleConfiguration()
        if let path = path ?? environment["MARELLE_CONFIG"] {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                config = try JSONDecoder().decode(MarelleConfiguration.self, from: data)
            } catch let error as DecodingError {
                problems.append("\(path): \(describe(error))")
            } catch {
                problems.append("\(path): cannot be read (\(error.localizedDescription))")
            }
        }
        for (name, apply) in overrides {
            if let value = environment[name], let problem = apply(&config, value) { problems.append(problem) }
        }
        problems += validate(config)
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        return config
    }

    public static func validate(_ c: MarelleConfiguration) -> [String] {
        var problems: [String] = []
        if c.database.url.isEmpty { problems.append("database.url (MARELLE_DATABASE_URL) is missing") }
        if !(1...500).contains(c.database.poolSize) { problems.append("database.poolSize must be between 1 and 500") }
        if !(1...300).contains(c.database.acquireTimeoutSeconds) {
            problems.append("database.acquireTimeoutSeconds must be between 1 and 300")
        }
        if let role = c.database.servingRole, role.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) == nil {
            problems.append("database.servingRole must be a plain role name (lower case letters, digits, _)")
        }
        for name in c.clusters.keys where name.range(of: "^[a-z][a-z0-9_-]{0,30}$", options: .regularExpression) == nil {
            problems.append("clusters: '\(name)' is not a cluster name (lower case letters, digits, - and _)")
        }
        if c.http.host.isEmpty { problems.append("http.host (MARELLE_HTTP_HOST) is missing") }
        if !(0...3600).contains(c.mail.decisionDigestSeconds) {
            problems.append("mail.decisionDigestSeconds must be between 0 and 3600")
        }
        if !(1...65535).contains(c.http.port) { problems.append("http.port must be between 1 and 65535") }
        if let port = c.metrics.port {
            if !(1...65535).contains(port) { problems.append("metrics.port must be between 1 and 65535") }
            if port == c.http.port && c.metrics.host == c.http.host { problems.append("metrics.port must differ from http.port") }
        }
        if let scheme = c.http.publicScheme, !["http", "https"].contains(scheme) {
            problems.append("http.publicScheme must be http or https")
        }
        if let p = c.http.publicPort, !(1...65535).contains(p) { problems.append("http.publicPort must be between 1 and 65535") }
        if HostName.normalize(c.baseDomain) == nil || c.baseDomain.hasPrefix(".") {
            problems.append("baseDomain (MARELLE_BASE_DOMAIN) '\(c.baseDomain)' is not a host name")
        }
        if !["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(c.logLevel) {
            problems.append("logLevel must be one of trace, debug, info, notice, warning, error, critical")
        }
        switch c.mail.mode {
        case "capture" where !c.development:
            problems.append(
                "mail.mode capture keeps every mail unsent: it is for development only (set development, or use smtp)")
        case "capture", "smtp": break
        default: problems.append("mail.mode (MARELLE_MAIL_MODE) must be smtp or capture")
        }
        if c.mail.mode == "smtp" {
            if c.mail.smtp.host.isEmpty { problems.append("mail.smtp.host (MARELLE_MAIL_SMTP_HOST) is missing") }
            if !(1...65535).contains(c.mail.smtp.port) { problems.append("mail.smtp.port must be between 1 and 65535") }
            if !["required", "opportunistic", "none"].contains(c.mail.smtp.security) {
                problems.append("mail.smtp.security must be required, opportunistic or none")
            }
        }
        if !(1...3600).contains(c.mail.pollIntervalSeconds) {
            problems.append("mail.pollIntervalSeconds must be between 1 and 3600")
        }
        if !c.mail.from.contains("@") { problems.append("mail.from (MARELLE_MAIL_FROM) must contain an e-mail address") }
        if let key = c.secondFactorKey, !SecretBox.isValidKey(key) {
            problems.append(
                "secondFactorKey (MARELLE_SECOND_FACTOR_KEY) must be 32 random bytes in base64 (openssl rand -base64 32)")
        }
        if let key = c.paymentsKey, !SecretBox.isValidKey(key) {
            problems.append("paymentsKey (MARELLE_PAYMENTS_KEY) must be 32 random bytes in base64 (openssl rand -base64 32)")
        }
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: c.paths.sql + "/tenant", isDirectory: &isDirectory) || !isDirectory.boolValue {
            problems.append("paths.sql (MARELLE_PATHS_SQL) '\(c.paths.sql)' has no tenant/ folder of migrations")
        }
        return problems
    }

    private static func int(_ v: String, _ name: String, _ set: (Int) -> Void) -> String? {
        guard let n = Int(v) else { return "\(name) must be a whole number, not '\(v)'" }
        set(n)
        return nil
    }

    private static func bool(_ v: String, _ name: String, _ set: (Bool) -> Void) -> String? {
        switch v.lowercased() {
        case "1", "true", "yes": set(true)
        case "0", "false", "no": set(false)
        default: return "\(name) must be true or false, not '\(v)'"
        }
        return nil
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
