/// A statement built by string interpolation in which every interpolated value becomes a
/// bind parameter (`$1`, `$2`, ...), never text:
///
///     let rows = try await session.query("SELECT id FROM families WHERE name = \(name)")
///
/// Identifiers (schema and role names) go through `\(identifier: name)`, quoted by libpq's
/// `PQescapeIdentifier` when the statement is rendered on a connection. Raw text needs the
/// explicit `\(unsafeRaw: text)` label, so that a reviewer can find every such place.
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Fragment: Sendable {
        case text(String)
        case bind(PostgresBind)
        case identifier(String)
    }

    var fragments: [Fragment]

    public init(stringLiteral value: String) {
        fragments = [.text(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        fragments = stringInterpolation.fragments
    }

    /// Raw SQL text, for statements assembled from trusted pieces only (migration files).
    public static func unsafeRaw(_ text: String) -> SQL {
        SQL(fragments: [.text(text)])
    }

    init(fragments: [Fragment]) {
        self.fragments = fragments
    }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        SQL(fragments: lhs.fragments + rhs.fragments)
    }

    /// Joins fragments with a separator, for lists built at run time (`VALUES (...), (...)`).
    public static func join(_ parts: [SQL], separator: String) -> SQL {
        var fragments: [Fragment] = []
        for (i, part) in parts.enumerated() {
            if i > 0 { fragments.append(.text(separator)) }
            fragments += part.fragments
        }
        return SQL(fragments: fragments)
    }

    public var bindCount: Int {
        fragments.reduce(0) { count, f in
            if case .bind = f { return count + 1 }
            return count
        }
    }

    /// The statement with `$n` placeholders and identifiers shown bare: safe to log, since no
    /// bound value appears in it.
    public var description: String {
        var text = ""
        var n = 0
        for fragment in fragments {
            switch fragment {
            case .text(let t): text += t
            case .bind:
                n += 1
                text += "$\(n)"
            case .identifier(let i): text += "\"\(i)\""
            }
        }
        return text
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var fragments: [Fragment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            fragments.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { fragments.append(.text(literal)) }
        }

        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            fragments.append(.bind(value.postgresBind))
        }

        /// An optional value: NULL when nil (spelled out so that the compiler does not take it
        /// for a debug description in a string).
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            fragments.append(.bind(value.postgresBind))
        }

        public mutating func appendInterpolation(identifier: String) {
            fragments.append(.identifier(identifier))
        }

        public mutating func appendInterpolation(unsafeRaw text: String) {
            fragments.append(.text(text))
        }

        public mutating func appendInterpolation(_ sql: SQL) {
            fragments += sql.fragments
        }
    }
}
