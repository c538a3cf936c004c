import MarelleCore
import MarelleDatabase

/// Children of the families of one association, always looked up for someone: a parent sees
/// the children of their own family only, staff see all of them.
public struct ChildStore: Sendable {
    public init() {}

    public struct Child: Sendable, Hashable {
        public let id: Int
        public let familyID: Int
        public let firstName: String
        public let lastName: String
        public let birthDate: LocalDate
        public let level: SchoolLevel?
    }

    @discardableResult
    public func create(
        _ tx: Session, familyID: Int, firstName: String, lastName: String, birthDate: LocalDate, level: SchoolLevel?,
        sex: String? = nil
    ) throws -> Int {
        try tx.queryOne(
            """
            INSERT INTO children (family_id, first_name, last_name, birth_date, level, sex)
            VALUES (\(familyID), \(firstName), \(lastName), \(birthDate), \(level?.rawValue), \(sex))
            RETURNING id
            """
        ).decode("id")
    }

    /// The child, if `account` may see it; nil otherwise, exactly as if it did not exist.
    public func find(_ tx: Session, id: Int, for account: Account) throws -> Child? {
        try tx.fetch(find(id: id, for: account))
    }

    /// The child of that id if `account` may see it (staff: any; a parent: their family's).
    public func find(id: Int, for account: Account) -> Query<Child?> {
        let family: Int? = account.role.isStaff ? nil : (account.familyID ?? -1)
        return Query(
            """
            SELECT id, family_id, first_name, last_name, birth_date, level FROM children
            WHERE id = \(id) AND (\(family)::bigint IS NULL OR family_id = \(family))
            """
        ) { rows in try rows.first.map(Self.decode) }
    }

    public func list(_ tx: Session, familyID: Int) throws -> [Child] {
        try tx.fetch(list(familyID: familyID))
    }

    public func list(familyID: Int) -> Query<[Child]> {
        .rows(
            "SELECT id, family_id, first_name, last_name, birth_date, level FROM children WHERE family_id = \(familyID) ORDER BY birth_date, id",
            Self.decode)
    }

    /// The family's quotient familial valid today (the most recent one), or nil: then the
    /// top price bracket applies.
    public func quotient(_ tx: Session, familyID: Int) throws -> Int? {
        try tx.fetch(quotient(familyID: familyID))
    }

    /// `quotient` of the child's family, read by the child's id (so that it can go in the
    /// same round trip as the child).
    public func quotient(ofChild childID: Int) -> Query<Int?> {
        quotient(familyID: "(SELECT family_id FROM children WHERE id = \(childID))")
    }

    public func quotient(familyID: Int) -> Query<Int?> {
        quotient(familyID: "\(familyID)")
    }

    private func quotient(familyID: SQL) -> Query<Int?> {
        Query(
            """
            SELECT quotient_familial FROM guardians
            WHERE family_id = \(familyID) AND quotient_familial IS NOT NULL
              AND (qf_valid_from IS NULL OR qf_valid_from <= current_date)
              AND (qf_valid_until IS NULL OR qf_valid_until >= current_date)
            ORDER BY qf_valid_from DESC NULLS LAST, id DESC LIMIT 1
            """
        ) { rows in try rows.first?.decode("quotient_familial") }
    }

    static func decode(_ row: Row) throws -> Child {
        Child(
            id: try row.decode("id"), familyID: try row.decode("family_id"), firstName: try row.decode("first_name"),
            lastName: try row.decode("last_name"), birthDate: try row.decode("birth_date"),
            level: (try row.decode("level", as: String?.self)).flatMap(SchoolLevel.init(rawValue:)))
    }
}
