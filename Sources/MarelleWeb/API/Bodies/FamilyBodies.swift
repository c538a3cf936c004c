import MarelleCore
import MarelleStore

/// `GET /api/v1/families`: one entry of the staff's list.
struct FamilyListEntry: Encodable {
    let id: Int
    let name: String
    /// The parents' and children's names.
    let members: String
    let documentsToReview: Int

    init(_ f: FamilyStore.Family) {
        (id, name, members, documentsToReview) = (f.id, f.name, f.members, f.documentsToReview)
    }
}

/// `POST /api/v1/families`: the new family and the address its parent was invited at.
struct NewFamilyBody: Encodable {
    let id: Int
    let name: String
    let invited: String
}

/// `POST /api/v1/families/{family}/invitations`.
struct InvitationBody: Encodable {
    let familyId: Int
    let invited: String
}

/// `GET /api/v1/family` and `/families/{family}`: the family file. `notes` are the staff's
/// and only staff read them (`null` for a parent).
struct FamilyBody: Encodable {
    let id: Int
    let name: String
    let notes: String?
    let guardians: [GuardianBody]
    let children: [ChildBody]
}

/// A parent (responsable légal) of the family file.
struct GuardianBody: Encodable {
    let id: Int
    let civility: String?
    let firstName: String
    let lastName: String
    let email: String?
    let mobilePhone: String
    let homePhone: String
    let workPhone: String
    let street: String
    let postalCode: String
    let city: String
    let employer: String
    let cafNumber: String
    let quotient: Int?
    let quotientValidFrom: LocalDate?
    let quotientValidUntil: LocalDate?
    /// Whether this parent signs in to the portal.
    let hasAccount: Bool

    init(_ g: FamilyFileStore.Guardian) {
        let d = g.draft
        (id, civility, firstName, lastName, email) = (g.id, d.civility, d.firstName, d.lastName, d.email)
        (mobilePhone, homePhone, workPhone) = (d.mobilePhone, d.homePhone, d.workPhone)
        (street, postalCode, city, employer, cafNumber) = (d.street, d.postalCode, d.city, d.employer, d.cafNumber)
        (quotient, quotientValidFrom, quotientValidUntil, hasAccount) = (d.quotient, d.quotientValidFrom, d.quotientValidUntil, g.accountID != nil)
    }
}

/// A child of the family file, health details included (the family and staff only).
struct ChildBody: Encodable {
    let id: Int
    let firstName: String
    let lastName: String
    let birthDate: LocalDate?
    let sex: String?
    let school: String
    let level: SchoolLevel?
    let allergies: String
    let diet: String
    let hasPAI: Bool
    let doctor: String
    let vaccinationsUpToDate: Bool?
    let vaccinationNotes: String
    let photoConsent: Bool
    let mayLeaveAlone: Bool
    /// The people allowed to pick the child up.
    let pickups: [ChildDraft.Pickup]

    init(_ c: FamilyFileStore.Child) {
        let d = c.draft
        (id, firstName, lastName, birthDate, sex, school, level) = (c.id, d.firstName, d.lastName, d.birthDate, d.sex, d.school, d.level)
        (allergies, diet, hasPAI, doctor) = (d.allergies, d.diet, d.hasPAI, d.doctor)
        (vaccinationsUpToDate, vaccinationNotes, photoConsent, mayLeaveAlone) = (d.vaccinationsUpToDate, d.vaccinationNotes, d.photoConsent, d.mayLeaveAlone)
        pickups = d.pickups
    }
}
