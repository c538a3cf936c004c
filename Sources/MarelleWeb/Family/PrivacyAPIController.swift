import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// "Traitement des données" over `/api/v1/privacy`: read the current text (and whether the
/// parent has accepted it), accept a version, and for the direction publish a new one.
struct PrivacyAPIController {
    let useCases: UseCases
    let service: PrivacyService

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/privacy") { _, context in try await current(context) }
        api.post("/privacy/consent") { request, context in try await accept(request, context) }
        api.post("/privacy") { request, context in try await publish(request, context) }
    }

    func current(_ context: AppRequestContext) async throws -> JSONReply<PrivacyBody> {
        let account = try context.requireAPIAccount()
        let (text, accepted) = try await service.current(tenant: try context.requireTenant(), accountID: account.id)
        return JSONReply(
            PrivacyBody(
                version: text.version, body: text.body, publishedAt: text.publishedAt,
                accepted: account.familyID != nil ? accepted : nil))
    }

    struct ConsentInput: Decodable { let version: Int }

    func accept(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAPIAccount()
        guard let familyID = account.familyID else {
            throw Problem(
                status: .forbidden, title: tr("common.acces_refuse"),
                detail: tr("PrivacyAPIController.seuls_les_parents_acceptent_ce"))
        }
        let input = try await JSONBody.decode(request, as: ConsentInput.self)
        let recorded = try await service.accept(
            tenant: try context.requireTenant(), account: account, familyID: familyID, version: input.version,
            ip: context.remoteIP)
        guard recorded else {
            throw Problem.invalid([.init(field: "version", message: tr("common.cette_version_du_texte_n"))])
        }
        return Response(status: .noContent)
    }

    struct PublishInput: Decodable { let body: String }

    func publish(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<PrivacyBody> {
        let staff = try context.requireAPIStaff(writing: true)
        guard let body = PrivacyService.cleaned(try await JSONBody.decode(request, as: PublishInput.self).body) else {
            throw Problem.invalid([.init(field: "body", message: PrivacyService.invalidMessage)])
        }
        let text = try await service.publish(tenant: try context.requireTenant(), staff: staff, body: body, ip: context.remoteIP)
        return JSONReply(
            status: .created, PrivacyBody(version: text.version, body: text.body, publishedAt: text.publishedAt, accepted: nil))
    }
}
