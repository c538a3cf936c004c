import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// `/api/v1/periods` and `/api/v1/activities`: staff read them; the direction creates and
/// closes them. The same `ActivityInput` rules as the staff pages.
struct ActivityAPIController {
    let management: ActivityManagement

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/periods") { _, context in try await listPeriods(context) }
        api.post("/periods") { request, context in try await createPeriod(request, context) }
        api.put("/periods/:id") { request, context in try await updatePeriod(request, context) }
        api.get("/activities") { _, context in try await listActivities(context) }
        api.post("/activities") { request, context in try await createActivity(request, context) }
        api.get("/activities/:id") { _, context in try await showActivity(context) }
        api.put("/activities/:id") { request, context in try await updateActivity(request, context) }
        api.delete("/activities/:id") { _, context in try await closeActivity(context) }
    }

    func listPeriods(_ context: AppRequestContext) async throws -> JSONReply<[PeriodBody]> {
        _ = try context.requireAPIStaff(writing: false)
        let list = try await management.periods(tenant: try context.requireTenant())
        return JSONReply(list.map(PeriodBody.init))
    }

    func createPeriod(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<PeriodBody> {
        try await savePeriod(request, context, id: nil)
    }

    func updatePeriod(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<PeriodBody> {
        try await savePeriod(request, context, id: try context.requirePathID())
    }

    /// Adds (`id` nil) or changes a period.
    func savePeriod(_ request: Request, _ context: AppRequestContext, id: Int?) async throws -> JSONReply<PeriodBody> {
        let account = try context.requireAPIStaff(writing: true)
        let input: PeriodInput.Converted
        switch try await JSONBody.decode(request, as: PeriodInput.self).convert() {
        case .success(let value): input = value
        case .failure(let failure): throw Problem.invalid(failure.problems)
        }
        do {
            let period = try await management.savePeriod(
                tenant: try context.requireTenant(), actor: account, id: id,
                .init(name: input.name, kind: input.kind, days: input.days, opensAt: input.opensAt, closesAt: input.closesAt),
                ip: context.remoteIP)
            guard let period else {
                throw Problem(
                    status: .notFound, title: tr("common.introuvable"),
                    detail: tr("common.aucune_periode_ouverte_ne_porte"))
            }
            return JSONReply(status: id == nil ? .created : .ok, PeriodBody(period))
        } catch PeriodStore.Failure.invalid(let field, let message) {
            throw Problem.invalid([.init(field: field, message: message)])
        } catch PeriodStore.Failure.overlaps(let other) {
            throw Problem.invalid([
                .init(field: "firstDay", message: tr("common.cette_periode_chevauche_1", other))
            ])
        }
    }

    func listActivities(_ context: AppRequestContext) async throws -> JSONReply<[ActivityBody]> {
        _ = try context.requireAPIStaff(writing: false)
        let list = try await management.activities(tenant: try context.requireTenant())
        return JSONReply(list.map(ActivityBody.init))
    }

    func showActivity(_ context: AppRequestContext) async throws -> JSONReply<ActivityBody> {
        _ = try context.requireAPIStaff(writing: false)
        let id = try context.requirePathID()
        guard let activity = try await management.activity(tenant: try context.requireTenant(), id: id)
        else { throw Self.notFound }
        return JSONReply(ActivityBody(activity))
    }

    func createActivity(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ActivityBody> {
        let account = try context.requireAPIStaff(writing: true)
        let input = try await JSONBody.decode(request, as: ActivityInput.self)
        let converted: ActivityInput.Converted
        switch input.convert() {
        case .success(let value): converted = value
        case .failure(let failure): throw Problem.invalid(failure.problems)
        }
        do {
            let activity = try await management.createActivity(
                tenant: try context.requireTenant(), actor: account, converted.draft, periodIDs: converted.periodIDs,
                price: converted.price,
                ip: context.remoteIP)
            guard let activity else { throw Self.notFound }
            return JSONReply(status: .created, ActivityBody(activity))
        } catch ActivityStore.Failure.unknownPeriod {
            throw Problem.invalid([.init(field: "periodIds", message: tr("common.une_des_periodes_choisies_n"))])
        } catch ActivityStore.Failure.invalid(let problems) {
            throw Problem.invalid(problems)
        }
    }

    /// Replaces an activity's description; `price` may be left out to keep the current one.
    func updateActivity(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ActivityBody> {
        let account = try context.requireAPIStaff(writing: true)
        let id = try context.requirePathID()
        let input = try await JSONBody.decode(request, as: ActivityInput.self)
        let converted: ActivityInput.Converted
        switch input.convert(priceRequired: false) {
        case .success(let value): converted = value
        case .failure(let failure): throw Problem.invalid(failure.problems)
        }
        do {
            let activity = try await management.updateActivity(
                tenant: try context.requireTenant(), actor: account, id: id, converted.draft, periodIDs: converted.periodIDs,
                price: converted.price, ip: context.remoteIP)
            guard let activity else { throw Self.notFound }
            return JSONReply(ActivityBody(activity))
        } catch ActivityStore.Failure.unknownActivity {
            throw Self.notFound
        } catch ActivityStore.Failure.unknownPeriod {
            throw Problem.invalid([.init(field: "periodIds", message: tr("common.une_des_periodes_choisies_n"))])
        } catch ActivityStore.Failure.invalid(let problems) {
            throw Problem.invalid(problems)
        }
    }

    func closeActivity(_ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAPIStaff(writing: true)
        let id = try context.requirePathID()
        let closed = try await management.closeActivity(
            tenant: try context.requireTenant(), actor: account, id: id, ip: context.remoteIP)
        guard closed else { throw Self.notFound }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    static var notFound: Problem {
        Problem(
            status: .notFound, title: tr("common.introuvable"),
            detail: tr("common.aucune_activite_ouverte_ne_porte"))
    }

    static func id(_ context: AppRequestContext) throws -> Int {
        guard let id = context.parameters.get("id", as: Int.self) else { throw notFound }
        return id
    }
}
