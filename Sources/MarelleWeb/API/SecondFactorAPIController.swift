import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering

/// `/api/v1/me/second-factor...` (a staff member's own authenticator) and
/// `PUT /api/v1/association/second-factor` (the direction's rule): what
/// `/mon-compte/double-authentification` and the association page do.
struct SecondFactorAPIController {
    let secondFactors: SecondFactors

    struct CodeBody: Decodable { let code: String }
    struct RuleBody: Decodable { let required: Bool }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/me/second-factor") { _, context in try await status(context) }
        api.post("/me/second-factor") { _, context in try await begin(context) }
        api.post("/me/second-factor/confirmation") { request, context in try await confirm(request, context) }
        api.post("/me/second-factor/recovery-codes") { request, context in try await renew(request, context) }
        api.post("/me/second-factor/removal") { request, context in try await remove(request, context) }
        api.put("/association/second-factor") { request, context in try await setRule(request, context) }
    }

    private func staff(_ context: AppRequestContext) throws -> (Tenant, Account) {
        (try context.requireTenant(), try context.requireAPIStaff(writing: false))
    }

    func status(_ context: AppRequestContext) async throws -> JSONReply<SecondFactorStatusBody> {
        let (tenant, account) = try staff(context)
        return JSONReply(SecondFactorStatusBody(try await secondFactors.status(tenant: tenant, account: account)))
    }

    func begin(_ context: AppRequestContext) async throws -> JSONReply<SecondFactorEnrolmentBody> {
        let (tenant, account) = try staff(context)
        do {
            return JSONReply(SecondFactorEnrolmentBody(try await secondFactors.begin(tenant: tenant, account: account)))
        } catch {
            throw Self.problem(error)
        }
    }

    func confirm(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<RecoveryCodesBody> {
        let (tenant, account) = try staff(context)
        let body = try await JSONBody.decode(request, as: CodeBody.self)
        switch try await secondFactors.confirm(tenant: tenant, account: account, code: body.code, ip: context.remoteIP) {
        case .success(let codes): return JSONReply(status: .created, RecoveryCodesBody(codes))
        case .failure(let failure): throw Self.problem(failure)
        }
    }

    func renew(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<RecoveryCodesBody> {
        let (tenant, account) = try staff(context)
        let body = try await JSONBody.decode(request, as: CodeBody.self)
        switch try await secondFactors.newRecoveryCodes(tenant: tenant, account: account, code: body.code, ip: context.remoteIP) {
        case .success(let codes): return JSONReply(status: .created, RecoveryCodesBody(codes))
        case .failure(let failure): throw Self.problem(failure)
        }
    }

    func remove(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, account) = try staff(context)
        let body = try await JSONBody.decode(request, as: CodeBody.self)
        if let failure = try await secondFactors.disable(tenant: tenant, account: account, code: body.code, ip: context.remoteIP)
        {
            throw Self.problem(failure)
        }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    func setRule(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<SecondFactorRuleBody> {
        let tenant = try context.requireTenant()
        let actor = try context.requireAPIStaff(writing: true)
        let body = try await JSONBody.decode(request, as: RuleBody.self)
        if let failure = try await secondFactors.setRequired(tenant: tenant, actor: actor, body.required, ip: context.remoteIP) {
            throw Self.problem(failure)
        }
        return JSONReply(SecondFactorRuleBody(required: body.required))
    }

    /// 409 for a state that forbids the step (or a server without a key), 422 for a wrong
    /// code, 403 for a parent.
    static func problem(_ error: any Error) -> Problem {
        let detail = SecondFactorController.message(error)
        switch error as? SecondFactors.Failure {
        case .notStaff?: return Problem(status: .forbidden, title: tr("common.acces_refuse"), detail: detail)
        case .wrongCode?:
            return Problem(
                status: .unprocessableContent, title: tr("common.code_incorrect"), detail: detail,
                type: "urn:marelle:problem:second-factor-wrong-code")
        default: return Problem(status: .conflict, title: tr("SecondFactorAPIController.operation_impossible"), detail: detail)
        }
    }
}
