import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// "Traitement des données": the association's privacy text for everyone, the acceptance
/// asked of parents who have not accepted the current version, and publishing a new version
/// (which mails every parent).
struct PrivacyPages {
    let useCases: UseCases
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let service: PrivacyService

    func register(on router: Router<AppRequestContext>) {
        router.get("/traitement-des-donnees") { request, context in try await page(request, context) }
        router.post("/traitement-des-donnees/accepter") { request, context in try await accept(request, context) }
        router.get("/gestion/traitement-des-donnees") { request, context in try await staffPage(request, context) }
        router.post("/gestion/traitement-des-donnees") { request, context in try await publish(request, context) }
    }

    static func paragraphs(_ body: String) -> [String] {
        body.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func page(_ request: Request, _ context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let tenant = try context.requireTenant()
        let account = context.session?.account
        let (text, accepted) = try await service.current(tenant: tenant, accountID: account?.id)
        var returning = false
        if let account, !accepted { returning = try await service.acceptedBefore(tenant: tenant, accountID: account.id) }
        let next = request.uri.queryParameters.get("suite") ?? ""
        let model = TextPage(
            layout: LayoutModel(tenant: tenant, title: tr("PrivacyPages.traitement_des_donnees"), context: context),
            paragraphs: Self.paragraphs(text.body), version: text.version, publishedAt: ParisTime.format(text.publishedAt),
            askAcceptance: account?.familyID != nil && !accepted, changed: returning,
            suite: next.hasPrefix("/") && !next.hasPrefix("//") ? next : "",
            error: error)
        return try HTML(status: status, body: renderer.render("privacy", model), personal: account != nil).response(
            from: request, context: context)
    }

    func accept(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let account = try context.requireAccount(request)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        guard let familyID = account.familyID else { throw HTTPError(.forbidden) }
        guard form.isChecked("accept"), let version = Int(form.text("version")) else {
            return try await page(
                request, context, error: tr("PrivacyPages.cochez_la_case_pour_accepter"), status: .unprocessableContent)
        }
        let recorded = try await service.accept(
            tenant: tenant, account: account, familyID: familyID, version: version, ip: context.remoteIP)
        guard recorded else {
            return try await page(
                request, context, error: tr("common.cette_version_du_texte_n"), status: .unprocessableContent)
        }
        let next = form.text("suite")
        return Response(
            status: .seeOther, headers: [.location: next.hasPrefix("/") && !next.hasPrefix("//") ? next : "/mon-compte"])
    }

    func staffPage(
        _ request: Request, _ context: AppRequestContext, draft: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request)
        let history = try await service.history(tenant: tenant)
        let model = StaffPage(
            layout: LayoutModel(tenant: tenant, title: tr("PrivacyPages.traitement_des_donnees"), context: context),
            canWrite: staff.role.mayManage(writing: true), draft: draft ?? history.first?.body ?? "",
            versions: history.map {
                .init(version: $0.version, publishedAt: ParisTime.format($0.publishedAt), paragraphs: Self.paragraphs($0.body))
            },
            error: error,
            notice: request.uri.queryParameters.get("publie") != nil
                ? tr("PrivacyPages.nouvelle_version_publiee_les_familles") : nil)
        return try HTML(status: status, body: renderer.render("staff_privacy", model), personal: true).response(
            from: request, context: context)
    }

    func publish(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        guard let body = PrivacyService.cleaned(form["body"] ?? "") else {
            return try await staffPage(
                request, context, draft: form["body"] ?? "", error: PrivacyService.invalidMessage, status: .unprocessableContent)
        }
        _ = try await service.publish(tenant: tenant, staff: staff, body: body, ip: context.remoteIP)
        return Response(status: .seeOther, headers: [.location: "/gestion/traitement-des-donnees?publie=1"])
    }

    /// "Traitement des données" as a family reads it (`privacy.mustache`), with the box to
    /// accept the current version when they have not yet.
    struct TextPage {
        let layout: LayoutModel
        let paragraphs: [String]
        let version: Int
        let publishedAt: String
        let askAcceptance: Bool
        /// The account accepted an earlier version: the text changed since (else a first reading).
        let changed: Bool
        /// Where to go once accepted (a path of this site only).
        let suite: String
        let error: String?
    }

    /// The direction's page (`staff_privacy.mustache`): every version, and the form for a new one.
    struct StaffPage {
        let layout: LayoutModel
        let canWrite: Bool
        let draft: String
        let versions: [Version]
        let error: String?
        let notice: String?

        struct Version {
            let version: Int
            let publishedAt: String
            let paragraphs: [String]
        }
    }
}
