import MarelleApp
import MarelleCore
import MarelleStore

/// What every page's layout needs: the association, the page title, the person signed in
/// and the form token.
struct LayoutModel {
    let associationName: String
    let title: String
    let signedIn: Bool
    let accountEmail: String
    let isStaff: Bool
    /// The direction: billing and the other money pages are theirs.
    let isDirection: Bool
    let csrf: String
    /// The basket's line count, shown in the header ("Panier (3)").
    let basketCount: Int
    /// Where the footer's language switch brings the reader back: this very page.
    let returnPath: String

    /// `basketCount`: the count when the page itself changed the basket (the session's was
    /// read before), e.g. 0 on the page that answers "Valider".
    init(tenant: Tenant, title: String, context: AppRequestContext, csrf: String = "", basketCount: Int? = nil) {
        self.associationName = tenant.displayName
        self.title = title
        let account = context.session?.account
        self.signedIn = account != nil
        self.accountEmail = account?.email ?? ""
        self.isStaff = account?.role.isStaff ?? false
        self.isDirection = account?.role.mayManage(writing: true) ?? false
        self.csrf = csrf.isEmpty ? (context.session?.csrfToken ?? "") : csrf
        self.basketCount = basketCount ?? context.session?.basketCount ?? 0
        self.returnPath = context.returnPath
    }
}

/// One entry of a list to choose from (an activity, a child, a period): `{{id}}`, `{{name}}`,
/// `{{#selected}}`.
struct Choice {
    let id: Int
    let name: String
    var selected = false
}

extension Choice: TemplateModel {
    static let fields: [String: any PartialKeyPath<Choice> & Sendable] = ["id": \.id, "name": \.name, "selected": \.selected]
}

/// Mustache renders a section for an empty string: page models hold nil instead, so that
/// `{{#field}}` means "when there is something to show".
func shown(_ text: String?) -> String? {
    text.flatMap { $0.isEmpty ? nil : $0 }
}

/// A page whose template needs nothing but the layout.
struct PlainPage {
    let layout: LayoutModel
}

extension LayoutModel: TemplateModel {
    static let fields: [String: any PartialKeyPath<LayoutModel> & Sendable] = [
        "associationName": \.associationName, "title": \.title, "signedIn": \.signedIn, "accountEmail": \.accountEmail,
        "isStaff": \.isStaff, "isDirection": \.isDirection, "csrf": \.csrf, "basketCount": \.basketCount,
        "returnPath": \.returnPath,
    ]
}
