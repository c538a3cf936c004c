import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// `/gestion/invitations`: staff create a family and invite its parent, who receives a
/// link to choose a password.
struct StaffInvitationController {
    let useCases: UseCases
    let invitations: InvitationService
    let renderer: PageRenderer
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion/invitations") { request, context in try await page(request, context) }
        router.post("/gestion/invitations") { request, context in try await submit(request, context) }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, error: String? = nil, notice: String? = nil,
        values: [String: String] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request)
        let parents = try await useCases.families.parentAccounts(tenant: tenant)
        let model = Page(
            layout: LayoutModel(tenant: tenant, title: tr("StaffInvitationController.inviter_une_famille"), context: context),
            email: values["email"] ?? "", family: values["family"] ?? "",
            parents: parents.map { .init(email: $0.email, active: $0.hasPassword, disabled: $0.isDisabled) }, error: error,
            notice: notice)
        return try HTML(status: status, body: renderer.render("staff_invitations", model), personal: true).response(
            from: request, context: context)
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        do {
            let (account, _) = try await invitations.invite(
                tenant: tenant, email: form.text("email"), role: .parent, familyName: form.text("family"), by: .account(staff))
            return try await page(request, context, notice: tr("common.invitation_envoyee_a_1", account.email))
        } catch let failure as InvitationService.Failure {
            return try await page(
                request, context, error: failure.message, values: ["email": form.text("email"), "family": form.text("family")],
                status: .unprocessableContent)
        }
    }

    /// "Inviter une famille" (`staff_invitations.mustache`): the form and the parents' accounts.
    struct Page {
        let layout: LayoutModel
        let email: String
        let family: String
        let parents: [Parent]
        let error: String?
        let notice: String?

        struct Parent {
            let email: String
            /// A password was chosen: the invitation was used.
            let active: Bool
            let disabled: Bool
        }
    }
}
