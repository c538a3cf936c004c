import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// The family file over `/api/v1`: a parent works on `/family/...` (their own family), staff
/// on `/families/:family/...`. Bodies are read into the same fields as the pages' forms, so
/// both follow one set of rules; the parent's consents are `certified` and `acceptsPrivacy`.
struct FamilyAPIController {
    let useCases: UseCases
    var families: Families { useCases.families }
    let service: FamilyFileService
    let export: FamilyExport
    let invitations: InvitationService

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/families") { request, context in try await list(request, context) }
        api.post("/families") { request, context in try await create(request, context) }
        api.post("/families/:family/invitations") { request, context in try await invite(request, context) }
        api.put("/families/:family/notes") { request, context in try await notes(request, context) }
        api.get("/family/export") { _, context in
            try await export.response(tenant: try context.requireTenant(), account: try context.requireAPIAccount(), ip: context.remoteIP)
        }
        for base in ["/family", "/families/:family"] {
            api.get(RouterPath(base)) { _, context in try await show(context) }
            api.post(RouterPath("\(base)/guardians")) { request, context in try await saveGuardian(request, context, id: nil) }
            api.put(RouterPath("\(base)/guardians/:id")) { request, context in try await saveGuardian(request, context, id: try context.requirePathID()) }
            api.post(RouterPath("\(base)/children")) { request, context in try await saveChild(request, context, id: nil) }
            api.put(RouterPath("\(base)/children/:id")) { request, context in try await saveChild(request, context, id: try context.requirePathID()) }
        }
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAPIAccount()
        guard account.role.isStaff else { throw Problem(status: .forbidden, title: "Accès refusé", detail: "La liste des familles est réservée à l'équipe.") }
        let search = String((request.uri.queryParameters.get("q") ?? "").prefix(100))
        let found = try await families.list(tenant: try context.requireTenant(), search: search)
        return JSONResponse(object: found.map { ["id": $0.id, "name": $0.name, "members": $0.members, "documentsToReview": $0.documentsToReview] as [String: Any] })
    }

    struct NewFamily: Decodable {
        let name: String?
        let parentEmail: String?
        let email: String?
        let notes: String?
    }

    /// `{"name", "parentEmail"}`: a new family whose parent is invited (as the staff page does).
    func create(_ request: Request, _ context: AppRequestContext) async throws -> JSONResponse {
        let staff = try context.requireAPIStaff(writing: true)
        let input = try await JSONBody.decode(request, as: NewFamily.self)
        do {
            let (account, _) = try await invitations.invite(
                tenant: try context.requireTenant(), email: input.parentEmail ?? "", role: .parent, familyName: input.name, by: .account(staff))
            return JSONResponse(status: .created, object: ["id": account.familyID ?? 0, "name": input.name ?? "", "invited": account.email])
        } catch let failure as InvitationService.Failure {
            throw Problem.invalid([.init(field: failure == .missingFamilyName ? "name" : "parentEmail", message: failure.message)])
        }
    }

    /// `{"email"}`: another parent of an existing family, invited.
    func invite(_ request: Request, _ context: AppRequestContext) async throws -> JSONResponse {
        let (staff, familyID) = try context.requireAPIFamily(writing: true)
        let input = try await JSONBody.decode(request, as: NewFamily.self)
        guard try await families.find(tenant: try context.requireTenant(), familyID: familyID) != nil else {
            throw Problem.notFound
        }
        do {
            let (account, _) = try await invitations.invite(
                tenant: try context.requireTenant(), email: input.email ?? "", role: .parent, familyName: nil, existingFamily: familyID, by: .account(staff))
            return JSONResponse(status: .created, object: ["familyId": familyID, "invited": account.email])
        } catch let failure as InvitationService.Failure {
            throw Problem.invalid([.init(field: "email", message: failure.message)])
        }
    }

    /// `{"notes"}`: the staff's notes on a family.
    func notes(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (staff, familyID) = try context.requireAPIFamily(writing: true)
        let notes = (try await JSONBody.decode(request, as: NewFamily.self).notes ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard notes.count <= 5000 else { throw Problem.invalid([.init(field: "notes", message: "Les notes sont limitées à 5000 caractères.")]) }
        let saved = try await families.setNotes(
            tenant: try context.requireTenant(), actor: staff, familyID: familyID, notes: notes, ip: context.remoteIP)
        guard saved else { throw Problem.notFound }
        return Response(status: .noContent)
    }

    func show(_ context: AppRequestContext) async throws -> JSONResponse {
        let (account, familyID) = try context.requireAPIFamily(writing: false)
        guard let read = try await families.file(tenant: try context.requireTenant(), familyID: familyID) else { throw Problem.notFound }
        let (f, guardians, children) = (read.family, read.guardians, read.children)
        var object: [String: Any] = [
            "id": f.id, "name": f.name, "notes": f.notes, "guardians": guardians.map(Self.json), "children": children.map(Self.json),
        ]
        // The staff's notes are theirs (the family gets them in its data export, not here).
        if !account.role.isStaff { object["notes"] = nil }
        return JSONResponse(object: object)
    }

    func saveGuardian(_ request: Request, _ context: AppRequestContext, id: Int?) async throws -> JSONResponse {
        let (account, familyID) = try context.requireAPIFamily(writing: true)
        let form = try await Self.form(request)
        let (draft, parseProblems) = GuardianForm.draft(form)
        let outcome = try await service.saveGuardian(
            tenant: try context.requireTenant(), actor: account, familyID: familyID, guardianID: id, draft, parseProblems: parseProblems,
            consent: FamilyFilePages.consent(form), ip: context.remoteIP)
        return try await answer(outcome, context, created: id == nil, { tenant, saved in try await families.guardian(tenant: tenant, familyID: familyID, id: saved) }, json: Self.json)
    }

    func saveChild(_ request: Request, _ context: AppRequestContext, id: Int?) async throws -> JSONResponse {
        let (account, familyID) = try context.requireAPIFamily(writing: true)
        let form = try await Self.form(request)
        let outcome = try await service.saveChild(
            tenant: try context.requireTenant(), actor: account, familyID: familyID, childID: id, ChildForm.draft(form),
            consent: FamilyFilePages.consent(form), ip: context.remoteIP, today: ParisClock.date(of: Date()))
        return try await answer(outcome, context, created: id == nil, { tenant, saved in try await families.child(tenant: tenant, familyID: familyID, id: saved) }, json: Self.json)
    }

    private func answer<Saved: Sendable>(
        _ outcome: FamilyFileService.Outcome, _ context: AppRequestContext, created: Bool,
        _ load: (Tenant, Int) async throws -> Saved?, json: (Saved) -> [String: Any]
    ) async throws -> JSONResponse {
        switch outcome {
        case .notFound: throw Problem.notFound
        case .invalid(let problems): throw Problem.invalid(problems)
        case .saved(let id):
            let object = try await load(try context.requireTenant(), id).map(json) ?? [:]
            return JSONResponse(status: created ? .created : .ok, object: object)
        }
    }

    /// A JSON object read into the pages' form fields: strings and numbers as typed, booleans
    /// as the forms' "oui"/"non" (and "on" for the consents), `pickups` as its rows.
    static func form(_ request: Request) async throws -> FormData {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(buffer.readableBytesView)) else {
            throw Problem.badRequest("Le corps de la requête doit être un objet JSON.")
        }
        let renamed = ["certified": "certify", "acceptsPrivacy": "acceptPrivacy", "hasPAI": "pai", "vaccinationsUpToDate": "vaccinations"]
        var fields: [String: String] = [:]
        for (key, value) in object {
            let name = renamed[key] ?? key
            switch value {
            case .bool(let flag): fields[name] = ["certify", "acceptPrivacy"].contains(name) ? (flag ? "on" : "") : (flag ? "oui" : "non")
            case .number(let text), .string(let text): fields[name] = text
            case .array(let rows) where key == "pickups":
                for (index, row) in rows.enumerated() {
                    guard case .object(let person) = row else { continue }
                    for (field, suffix) in [("name", "Name"), ("phone", "Phone"), ("relationship", "Relationship")] {
                        if case .string(let text) = person[field] { fields["pickup\(index + 1)\(suffix)"] = text }
                    }
                }
            default: continue
            }
        }
        return FormData(fields: fields)
    }

    static func json(_ g: FamilyFileStore.Guardian) -> [String: Any] {
        let d = g.draft
        return [
            "id": g.id, "civility": d.civility ?? NSNull(), "firstName": d.firstName, "lastName": d.lastName, "email": d.email ?? NSNull(),
            "mobilePhone": d.mobilePhone, "homePhone": d.homePhone, "workPhone": d.workPhone, "street": d.street, "postalCode": d.postalCode,
            "city": d.city, "employer": d.employer, "cafNumber": d.cafNumber, "quotient": d.quotient ?? NSNull(),
            "quotientValidFrom": d.quotientValidFrom?.iso ?? NSNull(), "quotientValidUntil": d.quotientValidUntil?.iso ?? NSNull(),
            "hasAccount": g.accountID != nil,
        ]
    }

    static func json(_ c: FamilyFileStore.Child) -> [String: Any] {
        let d = c.draft
        return [
            "id": c.id, "firstName": d.firstName, "lastName": d.lastName, "birthDate": d.birthDate?.iso ?? NSNull(), "sex": d.sex ?? NSNull(),
            "school": d.school, "level": d.level?.rawValue ?? NSNull(), "allergies": d.allergies, "diet": d.diet, "hasPAI": d.hasPAI,
            "doctor": d.doctor, "vaccinationsUpToDate": d.vaccinationsUpToDate ?? NSNull(), "vaccinationNotes": d.vaccinationNotes,
            "photoConsent": d.photoConsent, "mayLeaveAlone": d.mayLeaveAlone,
            "pickups": d.pickups.map { ["name": $0.name, "phone": $0.phone, "relationship": $0.relationship] },
        ]
    }
}
