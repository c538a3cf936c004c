import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// The association's home page.
struct HomeController {
    let associations: AssociationStore
    let families: Families
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { request, context in
            let tenant = try context.requireTenant()
            // The team's home is its dashboard, not the families' welcome.
            if context.session?.account.role.isStaff == true {
                return Response(status: .seeOther, headers: [.location: "/gestion/"])
            }
            let settings = try await associations.settings(of: tenant)
            var next: FamilyNext? = nil
            if let account = context.session?.account, let familyID = account.familyID {
                next = FamilyNext(try await families.home(tenant: tenant, familyID: familyID, today: ParisClock.date(of: Date())))
            }
            let model = HomePage(
                layout: LayoutModel(tenant: tenant, title: tr("HomeController.accueil"), context: context),
                name: settings.displayName,
                nameAfterDe: FrenchName.afterDe(settings.displayName),
                account: context.session?.account, contactEmail: settings.contactEmail, phone: settings.phone,
                postalAddress: settings.postalAddress, openingHours: settings.openingHours, next: next)
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
    /// "des Lutins de Provence": the name after "Portail Familles".
    let nameAfterDe: String
    /// The person signed in, if any ("Vous êtes connecté·e avec ...").
    let account: Account?
    let contactEmail: String?
    let phone: String?
    let postalAddress: String?
    let openingHours: String?
    /// A signed-in parent's "what is next"; nil for everyone else.
    let next: FamilyNext?
}

/// `home.mustache`'s list for a parent: each part shown only when it has something.
struct FamilyNext {
    let upcoming: [String]
    let hasUpcoming: Bool
    let awaiting: String?
    let refused: [String]
    let hasRefused: Bool
    let documents: [String]
    let hasDocuments: Bool
    let incomplete: Bool

    init(_ s: FamilyHomeStore.Summary) {
        upcoming = s.upcoming.map { "\($0.day.french) · \($0.activity) · \($0.child) : \($0.status.label)" }
        awaiting =
            s.awaitingDecision == 0
            ? nil : tr("HomeController.1_demande_s_attendent_la", s.awaitingDecision)
        refused = s.refused.map {
            tr("HomeController.1_2_3_refusee", $0.day.french, $0.activity, $0.child) + ($0.reason.map { " (\($0))" } ?? "")
        }
        documents =
            s.refusedDocuments.map { tr("HomeController.1_refuse_2_envoyez_en", $0.fileName, $0.reason) }
            + s.childrenWithoutVaccinations.map { tr("HomeController.carnet_de_vaccination_de_1", $0) }
        (hasUpcoming, hasRefused, hasDocuments, incomplete) = (
            !upcoming.isEmpty, !refused.isEmpty, !documents.isEmpty, s.incomplete
        )
    }
}
