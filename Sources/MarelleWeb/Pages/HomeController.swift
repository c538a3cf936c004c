import MarelleApp
import MarelleCore
import Hummingbird
import MarelleStore

/// The association's home page.
struct HomeController {
    let associations: AssociationStore
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { request, context in
            let tenant = try context.requireTenant()
            let settings = try await associations.settings(of: tenant)
            let optional: [String: String?] = [
                "contactEmail": settings.contactEmail,
                "phone": settings.phone,
                "postalAddress": settings.postalAddress,
                "openingHours": settings.openingHours,
            ]
            var model: [String: Any] = optional.compactMapValues { $0 }
            model["layout"] = LayoutModel(tenant: tenant, title: "Accueil", context: context)
            if let account = context.session?.account { model["account"] = ["email": account.email] }
            model["name"] = settings.displayName
            return HTML(body: try renderer.render("home", model), personal: context.session != nil)
        }
        router.get("/static/marelle.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: renderer.stylesheet)))
        }
    }
}
