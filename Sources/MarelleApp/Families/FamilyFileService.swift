import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// Saving the cards of the family file, for the pages and the API alike. A parent's save
/// needs the two consents and records them with the version of the privacy text read; a
/// staff member's save needs neither and may set the quotient familial. Every save is
/// audited, a child's health fields with their old and new values.
public struct FamilyFileService: Sendable {
    public let database: Database
    public let file = FamilyFileStore()
    public let privacy = PrivacyStore()
    public let audit = AuditLog()
    public let families = FamilyStore()

    /// The parent's two ticks and the version of the text they were shown.
    public struct Consent: Sendable {
        public var certified: Bool
        public var acceptsPrivacy: Bool
        public var version: Int?

        public init(certified: Bool, acceptsPrivacy: Bool, version: Int?) {
            self.certified = certified
            self.acceptsPrivacy = acceptsPrivacy
            self.version = version
        }
    }

    public enum Outcome: Sendable {
        case saved(id: Int)
        case invalid([FieldProblem])
        case notFound
    }

    /// The family `actor` may work on: a parent's own, or for staff the one asked for.
    public static func family(of actor: Account, requested: Int?) -> Int? {
        actor.role.isStaff ? requested : actor.familyID
    }

    public func consentProblems(_ actor: Account, _ consent: Consent?) -> [FieldProblem] {
        guard !actor.role.isStaff else { return [] }
        var problems: [FieldProblem] = []
        if consent?.certified != true {
            problems.append(.init(field: "certify", message: tr("FamilyFileService.cochez_cette_case_pour_certifier")))
        }
        if consent?.acceptsPrivacy != true {
            problems.append(.init(field: "acceptPrivacy", message: tr("FamilyFileService.cochez_cette_case_pour_accepter")))
        }
        return problems
    }

    public func saveGuardian(
        tenant: Tenant, actor: Account, familyID: Int, guardianID: Int?, _ draft: GuardianDraft,
        parseProblems: [FieldProblem] = [],
        consent: Consent?, ip: String?
    ) async throws -> Outcome {
        let problems =
            parseProblems + draft.problems.filter { p in !parseProblems.contains { $0.field == p.field } }
            + consentProblems(actor, consent)
        return try await database.withTenant(try tenant.scope()) { tx in
            guard try families.holdExisting(tx, id: familyID) else { return .notFound }
            if let guardianID, try file.guardian(tx, id: guardianID, familyID: familyID) == nil { return .notFound }
            guard problems.isEmpty else { return .invalid(problems) }
            let id: Int
            if let guardianID {
                guard try file.updateGuardian(tx, id: guardianID, familyID: familyID, draft, quotient: actor.role.isStaff) else {
                    return .notFound
                }
                id = guardianID
            } else {
                var stored = draft
                if !actor.role.isStaff {
                    (stored.quotient, stored.quotientValidFrom, stored.quotientValidUntil) = (nil, nil, nil)
                }
                id = try file.addGuardian(tx, familyID: familyID, accountID: nil, stored)
            }
            try recordConsent(tx, actor: actor, familyID: familyID, subject: "guardian:\(id)", consent)
            try audit.record(
                tx, actor: .account(actor), action: guardianID == nil ? "guardian.create" : "guardian.update",
                subject: "guardian:\(id)", ip: ip, detail: ["family": String(familyID)])
            return .saved(id: id)
        }
    }

    public func saveChild(
        tenant: Tenant, actor: Account, familyID: Int, childID: Int?, _ draft: ChildDraft, consent: Consent?, ip: String?,
        today: LocalDate
    ) async throws -> Outcome {
        let problems = draft.problems(today: today) + consentProblems(actor, consent)
        return try await database.withTenant(try tenant.scope()) { tx in
            guard try families.holdExisting(tx, id: familyID) else { return .notFound }
            let before = try childID.map { try file.child(tx, id: $0, familyID: familyID) } ?? nil
            if childID != nil && before == nil { return .notFound }
            guard problems.isEmpty else { return .invalid(problems) }
            let id: Int
            if let childID {
                guard try file.updateChild(tx, id: childID, familyID: familyID, draft) else { return .notFound }
                id = childID
            } else {
                id = try file.addChild(tx, familyID: familyID, draft)
            }
            try recordConsent(tx, actor: actor, familyID: familyID, subject: "child:\(id)", consent)
            var detail = ["family": String(familyID)]
            let old = before?.draft.health ?? [:]
            for (field, value) in draft.health where old[field] != value && (before != nil || !value.isEmpty) {
                detail["\(field).old"] = old[field] ?? ""
                detail["\(field).new"] = value
            }
            try audit.record(
                tx, actor: .account(actor), action: childID == nil ? "child.create" : "child.update",
                subject: "child:\(id)", ip: ip, detail: detail)
            return .saved(id: id)
        }
    }

    private func recordConsent(_ tx: Session, actor: Account, familyID: Int, subject: String, _ consent: Consent?) throws {
        guard !actor.role.isStaff, let consent else { return }
        let current = try privacy.current(tx).version
        // The version the parent was shown, when it is a real one; the current one otherwise.
        let version = consent.version.flatMap { (1...current).contains($0) ? $0 : nil } ?? current
        try privacy.recordConsent(
            tx, familyID: familyID, accountID: actor.id, subject: subject, certified: consent.certified, version: version)
    }

    public init(database: Database) {
        self.database = database
    }
}
