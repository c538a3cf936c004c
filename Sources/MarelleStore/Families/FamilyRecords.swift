import Foundation
import MarelleCore
import MarelleDatabase

/// Everything the association holds about one family, for the parents' right of access
/// (the export) and right to erasure (`marelle family erase`). Both walk the same list of
/// places, so that nothing the export shows survives an erasure.
public struct FamilyRecords: Sendable {
    public init() {}

    /// The audit subjects that name this family or one of its members.
    private func subjects(_ tx: Session, familyID: Int) throws -> [String] {
        try tx.queryOne(
            """
            SELECT array_cat(ARRAY['family:' || \(familyID)::text],
                   array_cat(ARRAY(SELECT 'guardian:' || id FROM guardians WHERE family_id = \(familyID)),
                   array_cat(ARRAY(SELECT 'child:' || id FROM children WHERE family_id = \(familyID)),
                   array_cat(ARRAY(SELECT 'document:' || id FROM documents WHERE family_id = \(familyID)),
                             ARRAY(SELECT email FROM accounts WHERE family_id = \(familyID)))))) AS subjects
            """
        ).decode("subjects")
    }

    /// The family's data as one JSON document: every column of every row about it (the
    /// passwords' hashes and the documents' bytes excepted, the bytes go beside it), built
    /// by PostgreSQL from the rows themselves so that a new column is exported too.
    public func export(_ tx: Session, familyID: Int) throws -> (json: String, documents: [(name: String, bytes: [UInt8])])? {
        guard try tx.queryFirst("SELECT 1 FROM families WHERE id = \(familyID)") != nil else { return nil }
        let subjects = try subjects(tx, familyID: familyID)
        let json: String = try tx.queryOne(
            """
            SELECT jsonb_pretty(jsonb_build_object(
              'exportedAt', now(),
              'association', (SELECT to_jsonb(s) - 'singleton' FROM association_settings s),
              'family', (SELECT to_jsonb(f) FROM families f WHERE id = \(familyID)),
              'accounts', (SELECT coalesce(jsonb_agg(to_jsonb(a) - 'password_hash' ORDER BY a.id), '[]') FROM accounts a WHERE family_id = \(familyID)),
              'guardians', (SELECT coalesce(jsonb_agg(to_jsonb(g) ORDER BY g.id), '[]') FROM guardians g WHERE family_id = \(familyID)),
              'children', (SELECT coalesce(jsonb_agg(to_jsonb(c) || jsonb_build_object('pickupPersons',
                              (SELECT coalesce(jsonb_agg(to_jsonb(p) ORDER BY p.id), '[]') FROM pickup_persons p WHERE p.child_id = c.id)) ORDER BY c.id), '[]')
                           FROM children c WHERE family_id = \(familyID)),
              'consents', (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.id), '[]') FROM consents x WHERE family_id = \(familyID)),
              'documents', (SELECT coalesce(jsonb_agg(to_jsonb(d) - 'content' ORDER BY d.id), '[]') FROM documents d WHERE family_id = \(familyID)),
              'bookings', (SELECT coalesce(jsonb_agg(to_jsonb(b) || jsonb_build_object('activity', a.name) ORDER BY b.day, b.id), '[]')
                           FROM bookings b JOIN activities a ON a.id = b.activity_id WHERE b.family_id = \(familyID)),
              'mandates', (SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m.id), '[]') FROM mandates m WHERE family_id = \(familyID)),
              'basket', (SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY l.id), '[]') FROM basket_lines l WHERE family_id = \(familyID)),
              'submissions', (SELECT coalesce(jsonb_agg(to_jsonb(x) - 'response' - 'request_hash' ORDER BY x.id), '[]') FROM submissions x WHERE family_id = \(familyID)),
              'sessions', (SELECT coalesce(jsonb_agg(jsonb_build_object('created_at', s.created_at, 'last_seen_at', s.last_seen_at,
                              'ip', host(s.ip), 'user_agent', s.user_agent) ORDER BY s.created_at), '[]')
                           FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.family_id = \(familyID)),
              'emails', (SELECT coalesce(jsonb_agg(jsonb_build_object('created_at', o.created_at, 'to', o.to_address, 'subject', o.subject,
                              'status', o.status) ORDER BY o.id), '[]')
                         FROM outbox o WHERE o.to_address IN (SELECT email FROM accounts WHERE family_id = \(familyID))),
              'auditLog', (SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY l.id), '[]') FROM audit_log l
                           WHERE l.subject = ANY(\(subjects))
                              OR (l.actor_kind = 'parent' AND l.actor_id IN (SELECT id FROM accounts WHERE family_id = \(familyID))))
            )) AS export
            """
        ).decode("export")
        var documents: [(String, [UInt8])] = []
        for row in try tx.query("SELECT id, file_name, content FROM documents WHERE family_id = \(familyID) ORDER BY id") {
            let id: Int = try row.decode("id")
            let name: String = try row.decode("file_name")
            documents.append(("documents/\(id)-\(name)", (try row.decode("content", as: ByteA.self)).bytes))
        }
        return (json, documents)
    }

    /// What an erasure removed, table by table.
    public struct Erasure: Sendable, Equatable {
        public var counts: [(String, Int)]
        public static func == (a: Erasure, b: Erasure) -> Bool { a.counts.elementsEqual(b.counts) { $0 == $1 } }
    }

    /// Removes the family and everything about it: its rows (children, guardians, pick-up
    /// persons, documents, consents, basket, accounts with their sessions, tokens and links),
    /// the e-mails and throttling rows of its addresses, and the audit entries about it. Its
    /// bookings stay, anonymised, for the association's accounts; live ones are cancelled and
    /// their places given to the waiting lists. Nil when there is no such family.
    public func erase(_ tx: Session, familyID: Int) throws -> Erasure? {
        guard try tx.queryFirst("SELECT 1 FROM families WHERE id = \(familyID) FOR UPDATE") != nil else { return nil }
        let subjects = try subjects(tx, familyID: familyID)
        let emails: [String] = try tx.queryOne("SELECT ARRAY(SELECT email FROM accounts WHERE family_id = \(familyID)) AS e")
            .decode("e")
        var counts: [(String, Int)] = []
        func count(_ label: String, _ sql: SQL) throws {
            counts.append((label, try tx.queryOne(sql).decode("n")))
        }
        let accounts: SQL = "SELECT id FROM accounts WHERE family_id = \(familyID)"
        try count("guardians", "SELECT count(*)::int AS n FROM guardians WHERE family_id = \(familyID)")
        try count("children", "SELECT count(*)::int AS n FROM children WHERE family_id = \(familyID)")
        try count(
            "pickup persons",
            "SELECT count(*)::int AS n FROM pickup_persons WHERE child_id IN (SELECT id FROM children WHERE family_id = \(familyID))"
        )
        try count("documents", "SELECT count(*)::int AS n FROM documents WHERE family_id = \(familyID)")
        try count("consents", "SELECT count(*)::int AS n FROM consents WHERE family_id = \(familyID)")
        try count("accounts", "SELECT count(*)::int AS n FROM accounts WHERE family_id = \(familyID)")
        try count("sessions", "SELECT count(*)::int AS n FROM sessions WHERE account_id IN (\(accounts))")
        try count("api tokens", "SELECT count(*)::int AS n FROM api_tokens WHERE account_id IN (\(accounts))")
        try count("account links", "SELECT count(*)::int AS n FROM account_links WHERE account_id IN (\(accounts))")
        try count(
            "e-mails",
            "WITH d AS (DELETE FROM outbox WHERE to_address = ANY(\(emails)) RETURNING 1) SELECT count(*)::int AS n FROM d")
        try count(
            "login throttling",
            "WITH d AS (DELETE FROM login_throttle WHERE key = ANY(ARRAY(SELECT 'account:' || e FROM unnest(\(emails)::text[]) e)) RETURNING 1) SELECT count(*)::int AS n FROM d"
        )
        try count(
            "audit entries",
            """
            WITH d AS (DELETE FROM audit_log WHERE subject = ANY(\(subjects))
                       OR (actor_kind = 'parent' AND actor_id IN (\(accounts))) RETURNING 1)
            SELECT count(*)::int AS n FROM d
            """)
        // Bookings stay for the association's accounts, anonymised by their foreign keys; the
        // places the live ones held go back to the waiting lists first.
        let live = try tx.query(
            """
            SELECT id, activity_id, day, status FROM bookings
            WHERE family_id = \(familyID) AND status IN ('requested', 'waiting', 'validated', 'cancel_requested')
            ORDER BY activity_id, day, id FOR UPDATE
            """)
        try tx.execute(
            "UPDATE bookings SET status = 'cancelled', decided_at = now() WHERE family_id = \(familyID) AND status IN ('requested', 'waiting', 'validated', 'cancel_requested')"
        )
        for row in live where (try row.decode("status", as: String.self)) != "waiting" {
            try BookingCounters().release(tx, activityID: try row.decode("activity_id"), day: try row.decode("day"))
        }
        counts.append(("bookings cancelled and anonymised", live.count))
        try count("bookings anonymised", "SELECT count(*)::int AS n FROM bookings WHERE family_id = \(familyID)")
        // Direct debit: nothing more is collected (its lines in draft batches go, its mandate in
        // force is revoked); a mandate never used goes, one a bank file named stays for the
        // bank's claims (the rulebook keeps mandates 14 months after the last collection).
        try count(
            "direct-debit lines not sent",
            """
            WITH d AS (DELETE FROM debit_batch_lines l USING debit_batches b, mandates m
                       WHERE b.id = l.batch_id AND b.state = 'draft' AND m.id = l.mandate_id AND m.family_id = \(familyID)
                       RETURNING 1)
            SELECT count(*)::int AS n FROM d
            """)
        try count(
            "mandates",
            """
            WITH d AS (DELETE FROM mandates m WHERE m.family_id = \(familyID)
                       AND NOT EXISTS (SELECT 1 FROM debit_batch_lines l WHERE l.mandate_id = m.id) RETURNING 1)
            SELECT count(*)::int AS n FROM d
            """)
        try tx.execute(
            """
            UPDATE mandates SET state = 'revoked', revoked_at = now(), revoked_reason = 'family erased'
            WHERE family_id = \(familyID) AND state = 'active'
            """)
        // Staff who linked to these accounts keep their own rows; the links are cleared.
        try tx.execute("UPDATE account_links SET created_by = NULL WHERE created_by IN (\(accounts))")
        // The family row last: its foreign keys cascade to everything counted above.
        try tx.execute("DELETE FROM families WHERE id = \(familyID)")
        return Erasure(counts: [("families", 1)] + counts)
    }
}
