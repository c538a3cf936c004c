import MarelleCore

/// What every page's layout needs: the association's name and the page title.
struct LayoutModel {
    let associationName: String
    let title: String

    init(tenant: Tenant, title: String) {
        self.associationName = tenant.displayName
        self.title = title
    }
}
