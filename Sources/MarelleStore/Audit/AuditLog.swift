import MarelleCore
import MarelleDatabase

/// The tenant's audit log: who, when (the database's clock, UTC), what, from where. Details
/// never hold a password, a token or a request body.
public struct AuditLog: Sendable {
    public init() {}

    public func record(
        _ tx: Session, actor: Actor, action: String, subject: String? = nil, ip: String? = nil,
        detail: [String: String] = [:]
    ) throws {
        try tx.execute(insertion(actor: actor, action: action, subject: subject, ip: ip, detail: detail))
    }

    /// The statement `record` runs, for `Session.executeTogether`.
    public func insertion(actor: Actor, action: String, subject: String? = nil, ip: String? = nil, detail: [String: String] = [:])
        -> SQL
    {
        let (actorID, label): (Int?, String?) =
            switch actor {
            case .account(let a): (a.id, a.email)
            case .operator(let name): (nil, name)
            case .system, .anonymous: (nil, nil)
            }
        return """
            INSERT INTO audit_log (actor_kind, actor_id, actor_label, ip, action, subject, detail)
            VALUES (\(actor.kind), \(actorID), \(label), \(ip)::inet, \(action), \(subject), \(JSONB(JSONText.object(detail))))
            """
    }

    public struct Entry: Sendable {
        public let action: String
        public let actorKind: String
        public let actorID: Int?
        public let subject: String?
        public let ip: String?
        public let detail: String
    }

    /// The latest entries, newest first (staff pages, tests).
    public func latest(_ tx: Session, limit: Int = 50) throws -> [Entry] {
        try tx.query(
            "SELECT action, actor_kind, actor_id, subject, host(ip) AS ip, detail::text AS detail FROM audit_log ORDER BY id DESC LIMIT \(limit)"
        ).map {
            Entry(
                action: try $0.decode("action"), actorKind: try $0.decode("actor_kind"), actorID: try $0.decode("actor_id"),
                subject: try $0.decode("subject"), ip: try $0.decode("ip"), detail: try $0.decode("detail"))
        }
    }
}
