import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
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
            try await export.response(
                tenant: try context.requireTenant(), account: try context.requireAPIAccount(), ip: context.remoteIP)
        }
        for base in ["/family", "/families/:family"] {
            api.get(RouterPath(base)) { _, context in try await show(context) }
            api.post(RouterPath("\(base)/guardians")) { request, context in try await saveGuardian(request, context, id: nil) }
            api.put(RouterPath("\(base)/guardians/:id")) { request, context in
                try await saveGuardian(request, context, id: try context.requirePathID())
            }
            api.post(RouterPath("\(base)/children")) { request, context in try await saveChild(request, context, id: nil) }
            api.put(RouterPath("\(base)/children/:id")) { request, context in
                try await saveChild(request, context, id: try context.requirePathID())
            }
        }
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<[FamilyListEntry]> {
        let account = try context.requireAPIAccount()
        guard account.role.isStaff else {
            throw Problem(
                status: .forbidden, title: tr("common.acces_refuse"),
                detail: tr("FamilyAPIController.la_liste_des_familles_est"))
        }
        let search = String(ControlCharacters.removed(from: request.uri.queryParameters.get("q") ?? "").prefix(100))
        let found = try await families.list(tenant: try context.requireTenant(), search: search)
        return JSONReply(found.map(FamilyListEntry.init))
    }

    struct NewFamily: Decodable {
        let name: String?
        let parentEmail: String?
        let email: String?
        let notes: String?
    }

    /// `{"name", "parentEmail"}`: a new family whose parent is invited (as the staff page does).
    func create(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<NewFamilyBody> {
        let staff = try context.requireAPIStaff(writing: true)
        let input = try await JSONBody.decode(request, as: NewFamily.self)
        do {
            let (account, _) = try await invitations.invite(
                tenant: try context.requireTenant(), email: input.parentEmail ?? "", role: .parent, familyName: input.name,
                by: .account(staff))
            return JSONReply(
                status: .created, NewFamilyBody(id: account.familyID ?? 0, name: input.name ?? "", invited: account.email))
        } catch let failure as InvitationService.Failure {
            throw Problem.invalid([.init(field: failure == .missingFamilyName ? "name" : "parentEmail", message: failure.message)]
            )
        }
    }

    /// `{"email"}`: another parent of an existing family, invited.
    func invite(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<InvitationBody> {
        let (staff, familyID) = try context.requireAPIFamily(writing: true)
        let input = try await JSONBody.decode(request, as: NewFamily.self)
        guard try await families.find(tenant: try context.requireTenant(), familyID: familyID) != nil else {
            throw Problem.notFound
        }
        do {
            let (account, _) = try await invitations.invite(
                tenant: try context.requireTenant(), email: input.email ?? "", role: .parent, familyName: nil,
                existingFamily: familyID, by: .account(staff))
            return JSONReply(status: .created, InvitationBody(familyId: familyID, invited: account.email))
        } catch let failure as InvitationService.Failure {
            throw Problem.invalid([.init(field: "email", message: failure.message)])
        }
    }

    /// `{"notes"}`: the staff's notes on a family.
    func notes(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (staff, familyID) = try context.requireAPIFamily(writing: true)
        let notes = (try await JSONBody.decode(request, as: NewFamily.self).notes ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard notes.count <= 5000 else {
            throw Problem.invalid([.init(field: "notes", message: tr("common.les_notes_sont_limitees_a"))])
        }
        let saved = try await families.setNotes(
            tenant: try context.requireTenant(), actor: staff, familyID: familyID, notes: notes, ip: context.remoteIP)
        guard saved else { throw Problem.notFound }
        return Response(status: .noContent)
    }

    func show(_ context: AppRequestContext) async throws -> JSONReply<FamilyBody> {
        let (account, familyID) = try context.requireAPIFamily(writing: false)
        guard let read = try await families.file(tenant: try context.requireTenant(), familyID: familyID) else {
            throw Problem.notFound
        }
        let (f, guardians, children) = (read.family, read.guardians, read.children)
        // The staff's notes are theirs (the family gets them in its data export, not here).
        return JSONReply(
            FamilyBody(
                id: f.id, name: f.name, notes: account.role.isStaff ? f.notes : nil, guardians: guardians.map(GuardianBody.init),
                children: children.map(ChildBody.init)))
    }

    func saveGuardian(_ request: Request, _ context: AppRequestContext, id: Int?) async throws -> JSONReply<GuardianBody> {
        let (account, familyID) = try context.requireAPIFamily(writing: true)
        let form = try await Self.form(request)
        let (draft, parseProblems) = GuardianForm.draft(form)
        let outcome = try await service.saveGuardian(
            tenant: try context.requireTenant(), actor: account, familyID: familyID, guardianID: id, draft,
            parseProblems: parseProblems,
            consent: FamilyFilePages.consent(form), ip: context.remoteIP)
        return try await answer(
            outcome, context, created: id == nil,
            { tenant, saved in try await families.guardian(tenant: tenant, familyID: familyID, id: saved) },
            json: GuardianBody.init)
    }

    func saveChild(_ request: Request, _ context: AppRequestContext, id: Int?) async throws -> JSONReply<ChildBody> {
        let (account, familyID) = try context.requireAPIFamily(writing: true)
        let form = try await Self.form(request)
        let outcome = try await service.saveChild(
            tenant: try context.requireTenant(), actor: account, familyID: familyID, childID: id, ChildForm.draft(form),
            consent: FamilyFilePages.consent(form), ip: context.remoteIP, today: ParisClock.date(of: Date()))
        return try await answer(
            outcome, context, created: id == nil,
            { tenant, saved in try await families.child(tenant: tenant, familyID: familyID, id: saved) }, json: ChildBody.init)
    }

    private func answer<Saved: Sendable, Body: Encodable>(
        _ outcome: FamilyFileService.Outcome, _ context: AppRequestContext, created: Bool,
        _ load: (Tenant, Int) async throws -> Saved?, json: (Saved) -> Body
    ) async throws -> JSONReply<Body> {
        switch outcome {
        case .notFound: throw Problem.notFound
        case .invalid(let problems): throw Problem.invalid(problems)
        case .saved(let id):
            // Saved a moment ago in its own transaction; gone only if erased since.
            guard let saved = try await load(try context.requireTenant(), id) else { throw Problem.notFound }
            return JSONReply(status: created ? .created : .ok, json(saved))
        }
    }

    /// A JSON object read into the pages' form fields: strings and numbers as typed, booleans
    /// as the forms' "oui"/"non" (and "on" for the consents), `pickups` as its rows.
    static func form(_ request: Request) async throws -> FormData {
        let data = try await JSONBody.read(request, upTo: 64 * 1024)
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: data) else {
            throw Problem.badRequest(tr("FamilyAPIController.le_corps_de_la_requete"))
        }
        let renamed = [
            "certified": "certify", "acceptsPrivacy": "acceptPrivacy", "hasPAI": "pai", "vaccinationsUpToDate": "vaccinations",
        ]
        var fields: [String: String] = [:]
        for (key, value) in object {
            let name = renamed[key] ?? key
            switch value {
            case .bool(let flag):
                fields[name] = ["certify", "acceptPrivacy"].contains(name) ? (flag ? "on" : "") : (flag ? "oui" : "non")
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
}
