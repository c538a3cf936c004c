/// Everything `marelle` reads at start, shaped like `config.example.json`. Keys a file leaves
/// out keep the defaults below; environment variables (`MARELLE_...`, see
/// `ConfigurationLoader.overrides`) win over the file.
public struct MarelleConfiguration: Codable, Sendable, Equatable {
    public struct DatabaseSettings: Codable, Sendable, Equatable {
        /// libpq connection string or URI.
        public var url: String = ""
        public var poolSize: Int = 16
        public var acquireTimeoutSeconds: Int = 5
        /// In production the CLI logs in as the owner role and `serve` as this one, which owns
        /// nothing: `migrate` and tenant creation grant it what it needs. None: one role for both.
        public var servingRole: String? = nil
    }

    public struct HTTPSettings: Codable, Sendable, Equatable {
        public var host: String = "127.0.0.1"
        public var port: Int = 8080
        /// How parents reach the portal, for links in e-mails: `https` behind the proxy. When
        /// not set: `https`, or `http` in development.
        public var publicScheme: String? = nil
        /// The port in public links; none for the scheme's default port. When neither this nor
        /// the scheme is set in development: the port the server listens on.
        public var publicPort: Int? = nil
    }

    /// Where `/metrics` (Prometheus text) is served: its own address, never a tenant's host.
    /// No port: no metrics listener.
    public struct MetricsSettings: Codable, Sendable, Equatable {
        public var host: String = "127.0.0.1"
        public var port: Int? = nil
    }

    public struct PathSettings: Codable, Sendable, Equatable {
        /// The folder holding `control/` and `tenant/` migrations.
        public var sql: String = "sql"
    }

    public struct MailSettings: Codable, Sendable, Equatable {
        public struct SMTP: Codable, Sendable, Equatable {
            public var host: String = "localhost"
            public var port: Int = 587
            /// `required`, `opportunistic` or `none` (STARTTLS).
            public var security: String = "required"
            public var username: String? = nil
            public var password: String? = nil
            public var caFile: String? = nil
        }

        /// `smtp` (deliver) or `capture` (development: keep, show at /_dev/mail).
        public var mode: String = "smtp"
        /// The sender, e.g. `Portail Familles <no-reply@portail.example.org>`.
        public var from: String = "Portail Familles <no-reply@localhost>"
        public var pollIntervalSeconds: Int = 5
        /// The staff's decisions for one family within this many seconds go out as one e-mail
        /// (0: one e-mail per decision batch, at once).
        public var decisionDigestSeconds: Int = 300
        /// Whether this process runs the outbox worker (with several processes, any number of
        /// them may: rows are claimed with SKIP LOCKED).
        public var deliver: Bool = true
        public var smtp = SMTP()
    }

    public var database = DatabaseSettings()
    /// Other PostgreSQL clusters associations may live on (`marelle tenant move`), by name:
    /// a libpq connection string each. The control schema stays on `database.url`.
    public var clusters: [String: String] = [:]
    public var http = HTTPSettings()
    public var metrics = MetricsSettings()
    /// Tenants live at `<slug>.<baseDomain>`.
    public var baseDomain: String = "localhost"
    /// Development conveniences (plain-http cookies, captured mail); never in production.
    public var development: Bool = false
    public var logLevel: String = "info"
    public var paths = PathSettings()
    public var mail = MailSettings()
    /// The key that seals staff's second-factor secrets at rest: 32 random bytes in base64
    /// (`openssl rand -base64 32`), from `MARELLE_SECOND_FACTOR_KEY` rather than a file. None:
    /// staff cannot enrol a second factor, and no association can require one. Changing it
    /// makes every enrolled authenticator unreadable (staff then sign in with a recovery code
    /// and enrol again).
    public var secondFactorKey: String? = nil
    /// The key that seals the payment providers' credentials at rest (AES-256-GCM), 32 random
    /// bytes in base64, from `MARELLE_PAYMENTS_KEY`. None: no association can set up online
    /// payment. Changing it makes the saved credentials unreadable (the direction enters them
    /// again).
    public var paymentsKey: String? = nil

    public init() {}

    /// The connection string of a cluster by its name; nil (the control schema's) is
    /// `database.url`. Nil when the configuration does not name it.
    public func conninfo(cluster: String?) -> String? {
        guard let cluster else { return database.url }
        return clusters[cluster]
    }
}

extension MarelleConfiguration.DatabaseSettings {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        url = try c.decodeIfPresent(String.self, forKey: .url) ?? d.url
        poolSize = try c.decodeIfPresent(Int.self, forKey: .poolSize) ?? d.poolSize
        acquireTimeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .acquireTimeoutSeconds) ?? d.acquireTimeoutSeconds
        servingRole = try c.decodeIfPresent(String.self, forKey: .servingRole)
    }
}

extension MarelleConfiguration.HTTPSettings {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? d.host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? d.port
        publicScheme = try c.decodeIfPresent(String.self, forKey: .publicScheme)
        publicPort = try c.decodeIfPresent(Int.self, forKey: .publicPort) ?? d.publicPort
    }
}

extension MarelleConfiguration.MetricsSettings {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? Self().host
        port = try c.decodeIfPresent(Int.self, forKey: .port)
    }
}

extension MarelleConfiguration.PathSettings {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sql = try c.decodeIfPresent(String.self, forKey: .sql) ?? Self().sql
    }
}

extension MarelleConfiguration {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        database = try c.decodeIfPresent(DatabaseSettings.self, forKey: .database) ?? d.database
        clusters = try c.decodeIfPresent([String: String].self, forKey: .clusters) ?? d.clusters
        http = try c.decodeIfPresent(HTTPSettings.self, forKey: .http) ?? d.http
        metrics = try c.decodeIfPresent(MetricsSettings.self, forKey: .metrics) ?? d.metrics
        baseDomain = try c.decodeIfPresent(String.self, forKey: .baseDomain) ?? d.baseDomain
        development = try c.decodeIfPresent(Bool.self, forKey: .development) ?? d.development
        logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel) ?? d.logLevel
        paths = try c.decodeIfPresent(PathSettings.self, forKey: .paths) ?? d.paths
        mail = try c.decodeIfPresent(MailSettings.self, forKey: .mail) ?? d.mail
        secondFactorKey = try c.decodeIfPresent(String.self, forKey: .secondFactorKey)
        paymentsKey = try c.decodeIfPresent(String.self, forKey: .paymentsKey)
    }
}

extension MarelleConfiguration.MailSettings {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? d.mode
        from = try c.decodeIfPresent(String.self, forKey: .from) ?? d.from
        pollIntervalSeconds = try c.decodeIfPresent(Int.self, forKey: .pollIntervalSeconds) ?? d.pollIntervalSeconds
        decisionDigestSeconds =
            try c.decodeIfPresent(Int.self, forKey: .decisionDigestSeconds) ?? d.decisionDigestSeconds
        deliver = try c.decodeIfPresent(Bool.self, forKey: .deliver) ?? d.deliver
        smtp = try c.decodeIfPresent(SMTP.self, forKey: .smtp) ?? d.smtp
    }
}

extension MarelleConfiguration.MailSettings.SMTP {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? d.host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? d.port
        security = try c.decodeIfPresent(String.self, forKey: .security) ?? d.security
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
    }
}

extension MarelleConfiguration {
    /// The scheme and port of links in e-mails.
    public var publicScheme: String { http.publicScheme ?? (development ? "http" : "https") }
    /// A configured public scheme means a proxy in front: its port, not ours, is public.
    public var publicPort: Int? { http.publicPort ?? (development && http.publicScheme == nil ? http.port : nil) }
}
