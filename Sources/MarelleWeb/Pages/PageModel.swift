import MarelleApp
import MarelleStore
import MarelleCore

/// What every page's layout needs: the association, the page title, the person signed in
/// and the form token.
struct LayoutModel {
    let associationName: String
    let title: String
    let signedIn: Bool
    let accountEmail: String
    let isStaff: Bool
    let csrf: String
    /// The basket's line count, shown in the header ("Panier (3)").
    let basketCount: Int

    init(tenant: Tenant, title: String, context: AppRequestContext, csrf: String = "") {
        self.associationName = tenant.displayName
        self.title = title
        let account = context.session?.account
        self.signedIn = account != nil
        self.accountEmail = account?.email ?? ""
        self.isStaff = account?.role.isStaff ?? false
        self.csrf = csrf.isEmpty ? (context.session?.csrfToken ?? "") : csrf
        self.basketCount = context.session?.basketCount ?? 0
    }
}

/// A page whose template needs nothing but the layout.
struct PlainPage {
    let layout: LayoutModel
}

extension LayoutModel: TemplateModel {
    static let fields: [String: any PartialKeyPath<LayoutModel> & Sendable] = [
        "associationName": \.associationName, "title": \.title, "signedIn": \.signedIn, "accountEmail": \.accountEmail,
        "isStaff": \.isStaff, "csrf": \.csrf, "basketCount": \.basketCount,
    ]
}
