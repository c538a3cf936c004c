import MarelleDatabase

/// What no one can use any more, deleted so that an association's tables do not grow for
/// ever: sessions past their end or idle too long, API tokens a day after they expired or
/// were revoked, single-use links and the challenges between a password and its code a day
/// after they were used or expired (a used link and an unknown one answer alike, so keeping
/// it longer tells no one anything), and throttle rows
/// whose last failure is a day old and which lock nothing (a failure after an hour's quiet
/// counts from one again, so such a row no longer weighs on the next login).
public struct ExpiredRowsStore: Sendable {
    /// How many rows of each kind one purge deleted.
    public struct Purged: Sendable, Equatable {
        public let sessions: Int
        public let apiTokens: Int
        public let links: Int
        public let throttleRows: Int

        public var total: Int { sessions + apiTokens + links + throttleRows }

        public init(sessions: Int, apiTokens: Int, links: Int, throttleRows: Int) {
            self.sessions = sessions
            self.apiTokens = apiTokens
            self.links = links
            self.throttleRows = throttleRows
        }
    }

    public init() {}

    /// One statement: the five deletions and their counts.
    public func purge(_ tx: Session) throws -> Purged {
        let row = try tx.queryOne(
            """
            WITH s AS (
                DELETE FROM sessions
                WHERE expires_at < now() OR last_seen_at < now() - make_interval(mins => \(SessionStore.idleMinutes)::int)
                RETURNING 1),
            t AS (
                DELETE FROM api_tokens
                WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'
                RETURNING 1),
            l AS (
                DELETE FROM account_links
                WHERE used_at < now() - interval '1 day' OR expires_at < now() - interval '1 day'
                RETURNING 1),
            ch AS (
                DELETE FROM login_challenges WHERE expires_at < now() - interval '1 day'
                RETURNING 1),
            th AS (
                DELETE FROM login_throttle
                WHERE last_failure_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())
                RETURNING 1)
            SELECT (SELECT count(*) FROM s)::int AS sessions, (SELECT count(*) FROM t)::int AS tokens,
                   ((SELECT count(*) FROM l) + (SELECT count(*) FROM ch))::int AS links, (SELECT count(*) FROM th)::int AS throttle
            """)
        return Purged(
            sessions: try row.decode("sessions"), apiTokens: try row.decode("tokens"), links: try row.decode("links"),
            throttleRows: try row.decode("throttle"))
    }
}
