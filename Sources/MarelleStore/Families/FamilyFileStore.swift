import Foundation
import MarelleCore
import MarelleDatabase

/// The family file: its parents (responsables légaux) and children with everything their
/// cards show. Callers pass the family they are allowed to see; every lookup by id is bounded
/// by it, so an id of another family reads as "no such row".
public struct FamilyFileStore: Sendable {
    public init() {}

    public struct Guardian: Sendable {
        public let id: Int
        public let familyID: Int
        public let accountID: Int?
        public let draft: GuardianDraft
        public let updatedAt: Date

        public var displayName: String {
            let name = [draft.civility, draft.firstName, draft.lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(
                separator: " ")
            return name.isEmpty ? (draft.email ?? tr("FamilyFileStore.responsable_a_completer")) : name
        }
    }

    public struct Child: Sendable {
        public let id: Int
        public let familyID: Int
        public let draft: ChildDraft
        public let updatedAt: Date
    }

    public func guardians(_ tx: Session, familyID: Int) throws -> [Guardian] {
        try tx.query("SELECT * FROM guardians WHERE family_id = \(familyID) ORDER BY id").map(Self.guardian)
    }

    public func guardian(_ tx: Session, id: Int, familyID: Int) throws -> Guardian? {
        try tx.queryFirst("SELECT * FROM guardians WHERE id = \(id) AND family_id = \(familyID)").map(Self.guardian)
    }

    @discardableResult
    public func addGuardian(_ tx: Session, familyID: Int, accountID: Int?, _ d: GuardianDraft) throws -> Int {
        try tx.queryOne(
            """
            INSERT INTO guardians (family_id, account_id, civility, first_name, last_name, email, mobile_phone, home_phone, work_phone,
                                   street, postal_code, city, employer, caf_number, quotient_familial, qf_valid_from, qf_valid_until)
            VALUES (\(familyID), \(accountID), \(d.civility), \(d.firstName), \(d.lastName), \(d.email), \(d.mobilePhone), \(d.homePhone),
                    \(d.workPhone), \(d.street), \(d.postalCode), \(d.city), \(d.employer), \(d.cafNumber), \(d.quotient),
                    \(d.quotientValidFrom), \(d.quotientValidUntil))
            RETURNING id
            """
        ).decode("id")
    }

    /// Links a parent's card to the account that signs in for it.
    public func linkAccount(_ tx: Session, guardianID: Int, familyID: Int, accountID: Int) throws {
        try tx.execute("UPDATE guardians SET account_id = \(accountID) WHERE id = \(guardianID) AND family_id = \(familyID)")
    }

    /// Stores a guardian's file; the quotient only when `quotient` is true (staff). False
    /// when the guardian is not in that family.
    public func updateGuardian(_ tx: Session, id: Int, familyID: Int, _ d: GuardianDraft, quotient: Bool) throws -> Bool {
        try tx.queryFirst(
            """
            UPDATE guardians SET civility = \(d.civility), first_name = \(d.firstName), last_name = \(d.lastName), email = \(d.email),
                mobile_phone = \(d.mobilePhone), home_phone = \(d.homePhone), work_phone = \(d.workPhone), street = \(d.street),
                postal_code = \(d.postalCode), city = \(d.city), employer = \(d.employer), caf_number = \(d.cafNumber),
                quotient_familial = CASE WHEN \(quotient) THEN \(d.quotient)::int ELSE quotient_familial END,
                qf_valid_from = CASE WHEN \(quotient) THEN \(d.quotientValidFrom)::date ELSE qf_valid_from END,
                qf_valid_until = CASE WHEN \(quotient) THEN \(d.quotientValidUntil)::date ELSE qf_valid_until END,
                updated_at = now()
            WHERE id = \(id) AND family_id = \(familyID) RETURNING id
            """) != nil
    }

    public func children(_ tx: Session, familyID: Int) throws -> [Child] {
        let rows = try tx.query("SELECT * FROM children WHERE family_id = \(familyID) ORDER BY birth_date, id")
        let pickups = try self.pickups(tx, childIDs: try rows.map { try $0.decode("id") })
        return try rows.map { try Self.child($0, pickups: pickups) }
    }

    public func child(_ tx: Session, id: Int, familyID: Int) throws -> Child? {
        guard let row = try tx.queryFirst("SELECT * FROM children WHERE id = \(id) AND family_id = \(familyID)") else {
            return nil
        }
        return try Self.child(row, pickups: try pickups(tx, childIDs: [id]))
    }

    @discardableResult
    public func addChild(_ tx: Session, familyID: Int, _ d: ChildDraft) throws -> Int {
        let id: Int = try tx.queryOne(
            "INSERT INTO children (family_id, first_name, last_name, birth_date) VALUES (\(familyID), \(d.firstName), \(d.lastName), \(d.birthDate)) RETURNING id"
        ).decode("id")
        _ = try updateChild(tx, id: id, familyID: familyID, d)
        return id
    }

    /// Stores a child's file and replaces its pick-up list. False when the child is not in
    /// that family.
    public func updateChild(_ tx: Session, id: Int, familyID: Int, _ d: ChildDraft) throws -> Bool {
        let updated = try tx.queryFirst(
            """
            UPDATE children SET first_name = \(d.firstName), last_name = \(d.lastName), birth_date = \(d.birthDate), sex = \(d.sex),
                school = \(d.school), level = \(d.level?.rawValue), allergies = \(d.allergies), diet = \(d.diet), has_pai = \(d.hasPAI),
                doctor = \(d.doctor), vaccinations_up_to_date = \(d.vaccinationsUpToDate), vaccination_notes = \(d.vaccinationNotes),
                photo_consent = \(d.photoConsent), may_leave_alone = \(d.mayLeaveAlone), updated_at = now()
            WHERE id = \(id) AND family_id = \(familyID) RETURNING id
            """)
        guard updated != nil else { return false }
        try tx.execute("DELETE FROM pickup_persons WHERE child_id = \(id)")
        for p in d.pickups {
            try tx.execute(
                "INSERT INTO pickup_persons (child_id, name, phone, relationship) VALUES (\(id), \(p.name), \(p.phone), \(p.relationship))"
            )
        }
        return true
    }

    private func pickups(_ tx: Session, childIDs: [Int]) throws -> [Int: [ChildDraft.Pickup]] {
        guard !childIDs.isEmpty else { return [:] }
        var result: [Int: [ChildDraft.Pickup]] = [:]
        for row in try tx.query(
            "SELECT child_id, name, phone, relationship FROM pickup_persons WHERE child_id = ANY(\(childIDs)) ORDER BY id")
        {
            result[try row.decode("child_id"), default: []].append(
                .init(name: try row.decode("name"), phone: try row.decode("phone"), relationship: try row.decode("relationship")))
        }
        return result
    }

    static func guardian(_ row: Row) throws -> Guardian {
        var d = GuardianDraft()
        d.civility = try row.decode("civility")
        d.firstName = try row.decode("first_name")
        d.lastName = try row.decode("last_name")
        d.email = try row.decode("email")
        d.mobilePhone = try row.decode("mobile_phone", as: String?.self) ?? ""
        d.homePhone = try row.decode("home_phone", as: String?.self) ?? ""
        d.workPhone = try row.decode("work_phone", as: String?.self) ?? ""
        d.street = try row.decode("street", as: String?.self) ?? ""
        d.postalCode = try row.decode("postal_code", as: String?.self) ?? ""
        d.city = try row.decode("city", as: String?.self) ?? ""
        d.employer = try row.decode("employer", as: String?.self) ?? ""
        d.cafNumber = try row.decode("caf_number", as: String?.self) ?? ""
        d.quotient = try row.decode("quotient_familial")
        d.quotientValidFrom = try row.decode("qf_valid_from")
        d.quotientValidUntil = try row.decode("qf_valid_until")
        return Guardian(
            id: try row.decode("id"), familyID: try row.decode("family_id"), accountID: try row.decode("account_id"), draft: d,
            updatedAt: try row.decode("updated_at"))
    }

    static func child(_ row: Row, pickups: [Int: [ChildDraft.Pickup]]) throws -> Child {
        let id: Int = try row.decode("id")
        var d = ChildDraft()
        d.firstName = try row.decode("first_name")
        d.lastName = try row.decode("last_name")
        d.birthDate = try row.decode("birth_date")
        d.sex = try row.decode("sex")
        d.school = try row.decode("school", as: String?.self) ?? ""
        d.level = (try row.decode("level", as: String?.self)).flatMap(SchoolLevel.init(rawValue:))
        d.allergies = try row.decode("allergies")
        d.diet = try row.decode("diet")
        d.hasPAI = try row.decode("has_pai")
        d.doctor = try row.decode("doctor")
        d.vaccinationsUpToDate = try row.decode("vaccinations_up_to_date")
        d.vaccinationNotes = try row.decode("vaccination_notes")
        d.photoConsent = try row.decode("photo_consent")
        d.mayLeaveAlone = try row.decode("may_leave_alone")
        d.pickups = pickups[id] ?? []
        return Child(id: id, familyID: try row.decode("family_id"), draft: d, updatedAt: try row.decode("updated_at"))
    }
}
