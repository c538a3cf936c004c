/// An error from PostgreSQL or libpq. It keeps the SQLSTATE and the server's message; its
/// `description` never shows bound values or the DETAIL line (which can quote row values,
/// e.g. `Key (email)=(...) already exists`), so it is safe in a log. `debugDetail` has all.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Could not connect, or the connection broke (server restart, network).
        case connection
        /// The server refused or failed the statement.
        case server
        /// No connection became free within the pool's acquire timeout.
        case poolTimeout
        /// The pool is shut down.
        case poolClosed
        /// The client misused the API (wrong number of binds...).
        case client
    }

    public let kind: Kind
    /// Five-character SQLSTATE (`23505`, `40001`...), when the server sent one.
    public let sqlState: String?
    public let message: String
    public let detail: String?
    public let constraint: String?
    /// The statement with `$n` placeholders (never the values).
    public let statement: String?

    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil,
        constraint: String? = nil, statement: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
        self.statement = statement
    }

    public var description: String {
        var text = "DatabaseError(\(kind)"
        if let sqlState { text += ", sqlstate \(sqlState)" }
        text += "): \(message)"
        if let constraint { text += " [constraint \(constraint)]" }
        return text
    }

    /// Everything, including DETAIL and the statement: only for debug logging, never for users.
    public var debugDetail: String {
        var text = description
        if let detail { text += "\nDETAIL: \(detail)" }
        if let statement { text += "\nSTATEMENT: \(statement)" }
        return text
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
    public var isLockTimeout: Bool { sqlState == "55P03" }
    public var isInsufficientPrivilege: Bool { sqlState == "42501" }
    public var isUndefinedTable: Bool { sqlState == "42P01" }
    /// The server refused a prepared statement's cached plan (a table it reads changed shape,
    /// e.g. after a migration by another process) or no longer knows the statement: the
    /// transaction is retried once with statements prepared afresh.
    public var isStalePreparedStatement: Bool {
        (sqlState == "0A000" && message.contains("cached plan")) || sqlState == "26000"
    }
}
