import MarelleCore
import MarelleStore

/// `GET /api/v1/families`: one entry of the staff's list.
public struct FamilyListEntry: Encodable {
    public let id: Int
    public let name: String
    /// The parents' and children's names.
    public let members: String
    public let documentsToReview: Int

    public init(_ f: FamilyStore.Family) {
        (id, name, members, documentsToReview) = (f.id, f.name, f.members, f.documentsToReview)
    }
}

/// `POST /api/v1/families`: the new family and the address its parent was invited at.
public struct NewFamilyBody: Encodable {
    public let id: Int
    public let name: String
    public let invited: String

    public init(id: Int, name: String, invited: String) {
        self.id = id
        self.name = name
        self.invited = invited
    }
}

/// `POST /api/v1/families/{family}/invitations`.
public struct InvitationBody: Encodable {
    public let familyId: Int
    public let invited: String

    public init(familyId: Int, invited: String) {
        self.familyId = familyId
        self.invited = invited
    }
}

/// `GET /api/v1/family` and `/families/{family}`: the family file. `notes` are the staff's
/// and only staff read them (`null` for a parent).
public struct FamilyBody: Encodable {
    public let id: Int
    public let name: String
    public let notes: String?
    public let guardians: [GuardianBody]
    public let children: [ChildBody]

    public init(id: Int, name: String, notes: String?, guardians: [GuardianBody], children: [ChildBody]) {
        self.id = id
        self.name = name
        self.notes = notes
        self.guardians = guardians
        self.children = children
    }
}

/// A parent (responsable légal) of the family file.
public struct GuardianBody: Encodable {
    public let id: Int
    public let civility: String?
    public let firstName: String
    public let lastName: String
    public let email: String?
    public let mobilePhone: String
    public let homePhone: String
    public let workPhone: String
    public let street: String
    public let postalCode: String
    public let city: String
    public let employer: String
    public let cafNumber: String
    public let quotient: Int?
    public let quotientValidFrom: LocalDate?
    public let quotientValidUntil: LocalDate?
    /// Whether this parent signs in to the portal.
    public let hasAccount: Bool

    public init(_ g: FamilyFileStore.Guardian) {
        let d = g.draft
        (id, civility, firstName, lastName, email) = (g.id, d.civility, d.firstName, d.lastName, d.email)
        (mobilePhone, homePhone, workPhone) = (d.mobilePhone, d.homePhone, d.workPhone)
        (street, postalCode, city, employer, cafNumber) = (d.street, d.postalCode, d.city, d.employer, d.cafNumber)
        (quotient, quotientValidFrom, quotientValidUntil, hasAccount) = (
            d.quotient, d.quotientValidFrom, d.quotientValidUntil, g.accountID != nil
        )
    }
}

/// A child of the family file, health details included (the family and staff only).
public struct ChildBody: Encodable {
    public let id: Int
    public let firstName: String
    public let lastName: String
    public let birthDate: LocalDate?
    public let sex: String?
    public let school: String
    public let level: SchoolLevel?
    public let allergies: String
    public let diet: String
    public let hasPAI: Bool
    public let doctor: String
    public let vaccinationsUpToDate: Bool?
    public let vaccinationNotes: String
    public let photoConsent: Bool
    public let mayLeaveAlone: Bool
    /// The people allowed to pick the child up.
    public let pickups: [ChildDraft.Pickup]

    public init(_ c: FamilyFileStore.Child) {
        let d = c.draft
        (id, firstName, lastName, birthDate, sex, school, level) = (
            c.id, d.firstName, d.lastName, d.birthDate, d.sex, d.school, d.level
        )
        (allergies, diet, hasPAI, doctor) = (d.allergies, d.diet, d.hasPAI, d.doctor)
        (vaccinationsUpToDate, vaccinationNotes, photoConsent, mayLeaveAlone) = (
            d.vaccinationsUpToDate, d.vaccinationNotes, d.photoConsent, d.mayLeaveAlone
        )
        pickups = d.pickups
    }
}
