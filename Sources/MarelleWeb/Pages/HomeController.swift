import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// The association's home page.
struct HomeController {
    let associations: AssociationStore
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { request, context in
            let tenant = try context.requireTenant()
            // The team's home is its dashboard, not the families' welcome.
            if context.session?.account.role.isStaff == true {
                return Response(status: .seeOther, headers: [.location: "/gestion/"])
            }
            let settings = try await associations.settings(of: tenant)
            let model = HomePage(
                layout: LayoutModel(tenant: tenant, title: "Accueil", context: context), name: settings.displayName,
                account: context.session?.account, contactEmail: settings.contactEmail, phone: settings.phone,
                postalAddress: settings.postalAddress, openingHours: settings.openingHours)
            return try HTML(body: try renderer.render("home", model), personal: context.session != nil).response(
                from: request, context: context)
        }
        router.get("/static/marelle.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: renderer.stylesheet)))
        }
    }
}

/// `home.mustache`: the contact lines that are unknown (nil) are not shown.
struct HomePage {
    let layout: LayoutModel
    let name: String
    /// The person signed in, if any ("Vous êtes connecté·e avec ...").
    let account: Account?
    let contactEmail: String?
    let phone: String?
    let postalAddress: String?
    let openingHours: String?
}
