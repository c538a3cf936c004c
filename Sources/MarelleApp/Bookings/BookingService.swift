import Foundation
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarelleStore
import Metrics

/// Submitting baskets and deciding on bookings, for the pages and the API alike; each in
/// one transaction with its e-mails (one per submission, one per family per decision batch).
public struct BookingService: Sendable {
    public let database: Database
    public let mail: MailComposer
    public let audit = AuditLog()
    public let outbox = OutboxStore()
    /// See `MailSettings.decisionDigestSeconds`.
    public let decisionDigestSeconds: Int

    public enum Submitted: Sendable {
        case done(SubmitBasket.Result)
        /// The same Idempotency-Key came with another body.
        case keyReused
        case emptyBasket
        /// A line of the request names a child of another family or an unknown activity.
        case unknownLine
    }

    private struct EmptyBasket: Error {}
    private struct UnknownLine: Error {}

    /// A line given with the submission itself (an API client booking in one request).
    public typealias NewLine = (childID: Int, activityID: Int, day: LocalDate)

    /// "Valider". With an `idempotencyKey`, the first answer is stored and the same key
    /// gets it back, without a second effect, even when both arrive at the same time (the
    /// second waits on the first's family lock, then finds its key). `adding` lines join the
    /// basket in the same transaction, so a one-request booking is all or nothing. The caller
    /// (an API token not checked yet, or a page's session checked by its middleware) is
    /// checked as the transaction's first statement.
    public func submit(
        tenant: Tenant, caller: Caller, idempotencyKey: String?, requestHash: String = "", now: Date = Date(),
        adding: [NewLine] = [], ip: String?
    ) async throws -> Submitted {
        do {
            // `fresh`: this call did the submission (not an Idempotency-Key replay).
            let (outcome, fresh) = try await database.withTenant(try tenant.scope()) { tx -> (Submitted, Bool) in
                let account = try caller.account(tx)
                let familyID = try caller.familyID(tx)
                // The family's row is locked by the statement that records the submission,
                // before anything else of the family is written: the foreign keys of
                // `submissions` and `basket_lines` share-lock that row, and two submissions of
                // one family that both held such a share lock and then asked FOR UPDATE
                // deadlocked (one answered 500).
                let recorded = try tx.queryFirst(
                    """
                    WITH family AS (SELECT id FROM families WHERE id = \(familyID) FOR UPDATE)
                    INSERT INTO submissions (family_id, account_id, idempotency_key, request_hash)
                    SELECT id, \(account.id), \(idempotencyKey), \(idempotencyKey == nil ? nil : requestHash) FROM family
                    ON CONFLICT (account_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id
                    """)
                let submissionID: Int
                if let recorded {
                    submissionID = try recorded.decode("id")
                } else {
                    // The family is gone (no key), or the key was used before: its stored answer.
                    guard let key = idempotencyKey else { throw UnknownLine() }
                    guard
                        let stored = try tx.queryFirst(
                            "SELECT request_hash, response::text AS response FROM submissions WHERE account_id = \(account.id) AND idempotency_key = \(key)"
                        ),
                        try stored.decode("request_hash", as: String?.self) == requestHash,
                        let json = try stored.decode("response", as: String?.self),
                        let result = try? JSONDecoder().decode(SubmitBasket.Result.self, from: Data(json.utf8))
                    else { return (.keyReused, false) }
                    return (.done(result), false)
                }
                if !adding.isEmpty {
                    guard try BasketStore().addOwnedBookings(tx, familyID: familyID, lines: adding) != nil else {
                        throw UnknownLine()
                    }
                }
                guard
                    let result = try SubmitBasket().run(
                        tx, familyID: familyID, accountID: account.id, now: now, submissionID: submissionID)
                else {
                    throw EmptyBasket()
                }
                let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
                let message = mail.speaking(to: account) { mail.requestReceived(tenant, result: result) }
                // The answer, the mail and the audit row in one round trip: the dates' counters
                // stay locked until the commit, and on an opening morning everyone waits on them.
                try tx.executeTogether([
                    BasketStore().clearing(familyID: familyID),
                    "UPDATE submissions SET response = \(JSONB(json)) WHERE id = \(submissionID)",
                    outbox.insertion(kind: message.kind, to: account.email, subject: message.subject, body: message.body),
                    audit.insertion(
                        actor: .account(account), action: "basket.submit", subject: "family:\(familyID)", ip: ip,
                        detail: [
                            "submission": String(submissionID), "lines": String(result.lines.count),
                            "refused": String(result.lines.count - result.accepted.count),
                        ]),
                ])
                try tellPromoted(tx, tenant: tenant, try BookingDecisions().lines(tx, ids: result.promotedBookingIDs))
                return (.done(result), true)
            }
            if case .done(let result) = outcome, fresh {
                Counter(label: "marelle_submissions", dimensions: [("tenant", tenant.slug)]).increment()
                Counter(label: "marelle_bookings_submitted", dimensions: [("tenant", tenant.slug)])
                    .increment(by: result.accepted.filter { $0.kind == .booking }.count)
            }
            return outcome
        } catch is EmptyBasket {
            return .emptyBasket
        } catch is UnknownLine {
            return .unknownLine
        }
    }

    /// A refusal tells the family why: the reason, trimmed, 1 to 500 characters. Nil when the
    /// decision may go ahead; otherwise the French text of what is missing (pages and API).
    public static func reasonProblem(validate: Bool, reason: String?) -> String? {
        let reason = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !validate && reason.isEmpty { return tr("common.indiquez_le_motif_du_refus") }
        if ControlCharacters.found(in: reason) { return ControlCharacters.message }
        return reason.count > 500 ? tr("common.le_motif_est_limite_a") : nil
    }

    /// Validates or refuses bookings; every family concerned gets one e-mail summing up the
    /// decisions, and the families whose waiting-list line took a freed place are told too.
    public func decide(tenant: Tenant, staff: Account, ids: [Int], validate: Bool, reason: String?, ip: String?) async throws
        -> [BookingDecisions.Decision]
    {
        try await database.withTenant(try tenant.scope()) { tx in
            let decisions = try BookingDecisions().decide(tx, ids: ids, validate: validate, reason: reason, by: staff.id)
            let promoted = decisions.flatMap(\.promoted)
            let entries = decisions.map { ($0.line, $0.newStatus) } + promoted.map { ($0, $0.status) }
            try tellFamilies(tx, tenant: tenant, entries, reason: reason, promoted: Set(promoted.map(\.id)))
            try audit.record(
                tx, actor: .account(staff), action: validate ? "bookings.validate" : "bookings.refuse", ip: ip,
                detail: [
                    "bookings": decisions.map { String($0.line.id) }.joined(separator: ","),
                    "promoted": decisions.flatMap(\.promoted).map { String($0.id) }.joined(separator: ","),
                ])
            return decisions
        }
    }

    /// One e-mail per family summing up its lines' new statuses; decisions made within
    /// `decisionDigestSeconds` of the first join the same e-mail (a director who validates
    /// line by line sends one mail, not ten).
    func tellFamilies(
        _ tx: Session, tenant: Tenant, _ entries: [(BookingDecisions.Line, BookingStatus)], reason: String?,
        promoted: Set<Int> = []
    ) throws {
        var byFamily: [Int: [(BookingDecisions.Line, BookingStatus)]] = [:]
        for (line, status) in entries {
            if let family = line.familyID { byFamily[family, default: []].append((line, status)) }
        }
        for (familyID, lines) in byFamily {
            for parent in try AccountStore().list(tx, familyID: familyID) where !parent.isDisabled {
                try mail.speaking(to: parent) {
                    let text = mail.decisionLines(lines: lines, reason: reason, promoted: promoted)
                    try outbox.enqueueDigest(
                        tx, kind: "decisions", key: "decisions:family:\(familyID)", to: parent.email, lines: text,
                        delay: decisionDigestSeconds
                    ) { all in
                        let message = mail.decisions(tenant, lines: all)
                        return (message.subject, message.body)
                    }
                }
            }
        }
    }

    /// Families whose waiting-list line just took a freed place.
    func tellPromoted(_ tx: Session, tenant: Tenant, _ lines: [BookingDecisions.Line]) throws {
        try tellFamilies(tx, tenant: tenant, lines.map { ($0, $0.status) }, reason: nil, promoted: Set(lines.map(\.id)))
    }

    public static func hash(_ body: some Sequence<UInt8>) -> String {
        SecureToken.digest(bytes: Array(body))
    }

    public init(database: Database, mail: MailComposer, decisionDigestSeconds: Int = 300) {
        self.decisionDigestSeconds = decisionDigestSeconds
        self.database = database
        self.mail = mail
    }
}
