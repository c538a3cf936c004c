import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// `/api/v1/association` (contact, address, hours, the team) and `/api/v1/contact`.
struct AssociationAPIController {
    let pages: AssociationPages

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/association") { _, context in try await about(context) }
        api.post("/contact") { request, context in try await contact(request, context) }
    }

    func about(_ context: AppRequestContext) async throws -> JSONReply<AssociationBody> {
        let tenant = try context.requireTenant()
        _ = try context.requireAPIAccount()
        let s = try await pages.associations.settings(of: tenant)
        let team = try await pages.team(tenant).map {
            AssociationBody.Member(name: $0.name, role: $0.role)
        }
        return JSONReply(
            AssociationBody(
                name: s.displayName, contactEmail: s.contactEmail, phone: s.phone, postalAddress: s.postalAddress,
                openingHours: s.openingHours, team: team))
    }

    struct Input: Decodable {
        let name: String?
        let email: String?
        let subject: String?
        let message: String?
    }

    func contact(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAPIAccount()
        let input = try await JSONBody.decode(request, as: Input.self)
        let message = ContactMessage(
            name: (input.name ?? (account.displayName.isEmpty ? account.email : account.displayName)).trimmingCharacters(
                in: .whitespaces),
            email: input.email ?? account.email, subject: (input.subject ?? "").trimmingCharacters(in: .whitespaces),
            message: (input.message ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        switch try await pages.contact.send(
            tenant: try context.requireTenant(), message, actor: .account(account), ip: context.remoteIP)
        {
        case .sent: return Response(status: .accepted)
        case .invalid(let problems): throw Problem.invalid(problems)
        case .noAddress(let problem):
            throw Problem(
                status: .serviceUnavailable, title: tr("AssociationAPIController.contact_indisponible"), detail: problem.message)
        }
    }
}

/// `GET /api/v1/association`: what the association's public pages say; unknown contact
/// fields are `null` (`JSONWriter` writes nil as null).
struct AssociationBody: Encodable {
    let name: String
    let contactEmail: String?
    let phone: String?
    let postalAddress: String?
    let openingHours: String?
    let team: [Member]

    struct Member: Encodable {
        let name: String
        let role: String
    }
}
