import MarelleDatabase

/// Failed logins per key (`account:<email>`, `ip:<address>`). From the fifth failure within
/// an hour, each failure locks the key for a delay that doubles (2 s, 4 s, 8 s... up to
/// 15 minutes); while locked, even the right password is refused.
public struct ThrottleStore: Sendable {
    public static let freeFailures = 5
    public static let maximumLockSeconds = 900

    public init() {}

    /// Seconds until the most locked of `keys` opens again; 0 when none is locked.
    public func retryAfter(_ tx: Session, keys: [String]) throws -> Int {
        try tx.queryOne(
            """
            SELECT coalesce(ceil(extract(epoch FROM max(locked_until) - now())), 0)::int AS wait
            FROM login_throttle WHERE key = ANY(\(keys)) AND locked_until > now()
            """
        ).decode("wait")
    }

    public func recordFailure(_ tx: Session, keys: [String]) throws {
        for key in keys {
            try tx.execute(
                """
                INSERT INTO login_throttle AS t (key, failures) VALUES (\(key), 1)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN t.last_failure_at < now() - interval '1 hour' THEN 1 ELSE t.failures + 1 END,
                    first_failure_at = CASE WHEN t.last_failure_at < now() - interval '1 hour' THEN now() ELSE t.first_failure_at END,
                    last_failure_at = now(),
                    locked_until = CASE
                        WHEN t.last_failure_at >= now() - interval '1 hour' AND t.failures + 1 >= \(Self.freeFailures)
                        THEN now() + make_interval(secs => least(power(2, t.failures + 2 - \(Self.freeFailures)), \(Self.maximumLockSeconds)))
                        ELSE NULL END
                """)
        }
    }

    public func clear(_ tx: Session, key: String) throws {
        try tx.execute("DELETE FROM login_throttle WHERE key = \(key)")
    }
}
