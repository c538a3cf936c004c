import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// A form posted on a staff page: its tenant, the staff member (the direction when
/// `writing`), and the form, read only once its CSRF token is checked. Nothing is changed
/// before all three pass.
struct StaffPost {
    let tenant: Tenant
    let staff: Account
    let form: FormData

    static func read(_ request: Request, _ context: AppRequestContext, csrf: CSRFTokens, writing: Bool = true) async throws
        -> StaffPost
    {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request, writing: writing)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        return StaffPost(tenant: tenant, staff: staff, form: form)
    }

    var parts: (Tenant, Account, FormData) { (tenant, staff, form) }

    /// The numeric path parameter `name`, or 404.
    static func id(_ context: AppRequestContext, _ name: String = "id") throws -> Int {
        guard let id = context.parameters.get(name, as: Int.self) else { throw HTTPError(.notFound) }
        return id
    }
}
