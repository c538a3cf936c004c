import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// The staff's home (`/gestion/`, and `GET /api/v1/dashboard`): the children expected today and
/// tomorrow per activity (with allergies and PAI), and what waits for the team; every number
/// links to its list.
struct DashboardPage {
    let dashboard: Dashboard
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion") { request, context in
            let tenant = try context.requireTenant()
            _ = try context.requireStaff(request)
            let summary = try await dashboard.summary(tenant: tenant, today: ParisClock.date(of: Date()))
            let model = Model(
                layout: LayoutModel(tenant: tenant, title: tr("DashboardPage.tableau_de_bord"), context: context),
                days: summary.days.enumerated().map { index, day in
                    .init(
                        title: (index == 0 ? "Aujourd'hui" : "Demain") + " · " + day.day.french, day: day.day.iso,
                        hasActivities: !day.activities.isEmpty,
                        activities: day.activities.map {
                            .init(
                                id: $0.activity.id, name: $0.activity.draft.name,
                                hours: "\($0.activity.draft.startsAt.french) – \($0.activity.draft.endsAt.french)",
                                expected: $0.count.expected, allergies: $0.count.allergies, pai: $0.count.pai,
                                absent: $0.count.absent, hasAbsent: $0.count.absent > 0)
                        })
                },
                backlog: summary.backlog)
            return try HTML(body: renderer.render("staff_home", model), personal: true).response(from: request, context: context)
        }
    }

    func registerAPI(on api: RouterGroup<AppRequestContext>) {
        api.get("/dashboard") { _, context in
            let tenant = try context.requireTenant()
            _ = try context.requireAPIStaff(writing: false)
            return JSONReply(DashboardBody(try await dashboard.summary(tenant: tenant, today: ParisClock.date(of: Date()))))
        }
    }

    /// `staff_home.mustache`.
    struct Model {
        let layout: LayoutModel
        let days: [Day]
        let backlog: DashboardStore.Backlog

        struct Day {
            let title: String
            let day: String
            let hasActivities: Bool
            let activities: [Activity]
        }

        struct Activity {
            let id: Int
            let name: String
            let hours: String
            let expected: Int
            let allergies: Int
            let pai: Int
            let absent: Int
            let hasAbsent: Bool
        }
    }
}
