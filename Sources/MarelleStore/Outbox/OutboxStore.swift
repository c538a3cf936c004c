import MarelleCore
import MarelleDatabase

import struct Foundation.Date

/// E-mails waiting to leave. `enqueue` runs in the transaction of the change that causes the
/// mail, so a mail exists exactly when its cause was committed.
public struct OutboxStore: Sendable {
    public init() {}

    public struct Message: Sendable, Equatable {
        public let id: Int
        public let kind: String
        public let to: String
        public let subject: String
        public let body: String
        public let status: String
        public let attempts: Int
        public let createdAt: Date
    }

    @discardableResult
    public func enqueue(_ tx: Session, kind: String, to: String, subject: String, body: String) throws -> Int {
        try tx.queryOne(
            """
            INSERT INTO outbox (kind, to_address, subject, body_text) VALUES (\(kind), \(to), \(subject), \(body))
            RETURNING id
            """
        ).decode("id")
    }

    /// A mail that gathers lines for `delay` seconds: the lines join the waiting mail of the
    /// same `key` and recipient when there is one (it keeps its sending time: the delay runs
    /// from the first lines), else a mail waits `delay` seconds. `compose` writes the subject
    /// and body from all the lines. The waiting row is locked, so the delivery worker (which
    /// skips locked rows) never sends it while lines are being added.
    public func enqueueDigest(
        _ tx: Session, kind: String, key: String, to: String, lines: [String], delay: Int,
        compose: ([String]) -> (subject: String, body: String)
    ) throws {
        if delay > 0,
            let waiting = try tx.queryFirst(
                """
                SELECT id, digest_lines::text AS lines FROM outbox
                WHERE digest_key = \(key) AND to_address = \(to) AND status = 'pending' AND attempts = 0 AND next_attempt_at > now()
                ORDER BY id DESC LIMIT 1 FOR UPDATE
                """)
        {
            let id: Int = try waiting.decode("id")
            let earlier = JSONText.decodeStrings(try waiting.decode("lines", as: String?.self) ?? "[]")
            let all = earlier + lines
            let (subject, body) = compose(all)
            try tx.execute(
                """
                UPDATE outbox SET subject = \(subject), body_text = \(body), digest_lines = \(JSONB(JSONText.encode(all)))
                WHERE id = \(id)
                """)
            return
        }
        let (subject, body) = compose(lines)
        try tx.execute(
            """
            INSERT INTO outbox (kind, to_address, subject, body_text, digest_key, digest_lines, next_attempt_at)
            VALUES (\(kind), \(to), \(subject), \(body), \(key), \(JSONB(JSONText.encode(lines))), now() + make_interval(secs => \(delay)))
            """)
    }

    /// The insertion of a message, without its id back, for `Session.executeTogether`.
    public func insertion(kind: String, to: String, subject: String, body: String) -> SQL {
        "INSERT INTO outbox (kind, to_address, subject, body_text) VALUES (\(kind), \(to), \(subject), \(body))"
    }

    /// Newest first: the development mail catcher.
    public func latest(_ tx: Session, limit: Int = 100) throws -> [Message] {
        try tx.query(
            "SELECT id, kind, to_address, subject, body_text, status, attempts, created_at FROM outbox ORDER BY id DESC LIMIT \(limit)"
        ).map(Self.decode)
    }

    /// Claims due messages for delivery. `FOR UPDATE SKIP LOCKED` lets several server
    /// processes deliver side by side without sending a message twice: a claimed row stays
    /// locked until the claiming transaction records the outcome.
    public func claimDue(_ tx: Session, limit: Int) throws -> [Message] {
        try tx.query(
            """
            SELECT id, kind, to_address, subject, body_text, status, attempts, created_at FROM outbox
            WHERE status = 'pending' AND next_attempt_at <= now()
            ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
            """
        ).map(Self.decode)
    }

    public func markDelivered(_ tx: Session, id: Int, status: String = "sent", detail: String? = nil) throws {
        try tx.execute(
            "UPDATE outbox SET status = \(status), attempts = attempts + 1, sent_at = now(), last_error = NULL WHERE id = \(id)")
        try tx.execute("INSERT INTO outbox_attempts (outbox_id, succeeded, detail) VALUES (\(id), true, \(detail))")
    }

    /// Records a failed attempt and schedules the next with exponential backoff (1 min, 2, 4...
    /// capped at 6 hours); after `maxAttempts` the message is marked failed for an operator.
    public func markFailed(_ tx: Session, id: Int, error: String, maxAttempts: Int = 12) throws {
        try tx.execute(
            """
            UPDATE outbox SET attempts = attempts + 1, last_error = left(\(error), 1000),
                status = CASE WHEN attempts + 1 >= \(maxAttempts) THEN 'failed' ELSE 'pending' END,
                next_attempt_at = now() + make_interval(secs => least(60 * power(2, attempts), 21600))
            WHERE id = \(id)
            """)
        try tx.execute("INSERT INTO outbox_attempts (outbox_id, succeeded, detail) VALUES (\(id), false, left(\(error), 1000))")
    }

    public func pendingCount(_ tx: Session) throws -> Int {
        try tx.queryOne("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").decode("n")
    }

    static func decode(_ row: Row) throws -> Message {
        Message(
            id: try row.decode("id"), kind: try row.decode("kind"), to: try row.decode("to_address"),
            subject: try row.decode("subject"), body: try row.decode("body_text"), status: try row.decode("status"),
            attempts: try row.decode("attempts"), createdAt: try row.decode("created_at"))
    }
}
