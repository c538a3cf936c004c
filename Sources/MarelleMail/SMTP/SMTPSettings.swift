/// How mail leaves: captured for development, or sent to an SMTP relay.
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable {
        /// STARTTLS is required: a server that does not offer it gets no mail.
        case required
        /// STARTTLS when offered (plain text otherwise; for a relay on the same host).
        case opportunistic
        /// Never (a relay on loopback, tests).
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// A CA bundle to trust instead of the system's (a private relay's certificate).
    public var caFile: String?
    /// The name this client gives in EHLO.
    public var heloName: String
    public var timeoutSeconds: Int

    public init(
        host: String, port: Int, security: Security = .required, username: String? = nil, password: String? = nil,
        caFile: String? = nil, heloName: String = "marelle", timeoutSeconds: Int = 30
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.heloName = heloName
        self.timeoutSeconds = timeoutSeconds
    }
}

/// Why a message could not be handed to the relay. `isPermanent` (5xx) means retrying will
/// not help; anything else is retried with backoff.
public struct SMTPError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let code: Int?

    public var isPermanent: Bool { (code ?? 0) >= 500 }
    public var description: String { code.map { "SMTP \($0): \(message)" } ?? message }
}
