import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// Closures, single-date changes and closing periods: the direction's calendar tools.
struct ClosureAPIController {
    let management: ActivityManagement

    struct ClosureInput: Decodable {
        var activityId: Int?
        var firstDay: String?
        var lastDay: String?
        var reason: String?
    }

    struct DateInput: Decodable {
        var runs: Bool?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/closures") { _, context in try await list(context) }
        group.post("/closures") { request, context in try await create(request, context) }
        group.put("/activities/:id/dates/:day") { request, context in try await setDate(request, context) }
        group.delete("/periods/:id") { _, context in try await closePeriod(context) }
    }

    func list(_ context: AppRequestContext) async throws -> JSONReply<[ClosureBody]> {
        _ = try context.requireAPIStaff(writing: false)
        let all = try await management.closures(tenant: try context.requireTenant())
        return JSONReply(all.map(ClosureBody.init))
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<CreatedBody> {
        let account = try context.requireAPIStaff(writing: true)
        let input = try await JSONBody.decode(request, as: ClosureInput.self)
        guard let first = input.firstDay.flatMap({ LocalDate(iso: $0) }), let last = input.lastDay.flatMap({ LocalDate(iso: $0) })
        else {
            throw Problem.invalid([.init(field: "firstDay", message: tr("ClosureAPIController.indiquez_le_premier_et_le"))])
        }
        guard let days = try? DateRange(first: first, last: last) else {
            throw Problem.invalid([.init(field: "lastDay", message: DateRangeError.endBeforeStart.message)])
        }
        do {
            let id = try await management.addClosure(
                tenant: try context.requireTenant(), actor: account, activityID: input.activityId, days: days,
                reason: input.reason ?? "",
                ip: context.remoteIP)
            return JSONReply(status: .created, CreatedBody(id: id))
        } catch ActivityStore.Failure.unknownActivity {
            throw Problem.invalid([
                .init(field: "activityId", message: tr("common.aucune_activite_ouverte_ne_porte"))
            ])
        }
    }

    /// `{"runs": true}` adds the date to the activity's calendar, `false` removes it.
    func setDate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAPIStaff(writing: true)
        let id = try ActivityAPIController.id(context)
        guard let day = context.parameters.get("day").flatMap({ LocalDate(iso: $0) }) else {
            throw Problem.badRequest(tr("ClosureAPIController.la_date_s_ecrit_aaaa"))
        }
        guard let runs = try await JSONBody.decode(request, as: DateInput.self).runs else {
            throw Problem.invalid([.init(field: "runs", message: tr("ClosureAPIController.indiquez_runs_true_ajouter_la"))]
            )
        }
        do {
            try await management.setDate(
                tenant: try context.requireTenant(), actor: account, activityID: id, day: day, runs: runs, ip: context.remoteIP)
        } catch ActivityStore.Failure.unknownActivity {
            throw ActivityAPIController.notFound
        }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    func closePeriod(_ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAPIStaff(writing: true)
        let id = try ActivityAPIController.id(context)
        let closed = try await management.closePeriod(
            tenant: try context.requireTenant(), actor: account, id: id, ip: context.remoteIP)
        guard closed else {
            throw Problem(
                status: .notFound, title: tr("common.introuvable"),
                detail: tr("common.aucune_periode_ouverte_ne_porte"))
        }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }
}
