import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// The footer's "English" / "Français". Anonymous visitors follow a link (`GET /langue`),
/// which only sets the cookie; a signed-in person's form (`POST`, CSRF-checked) also keeps
/// the choice on the account, for the next device and for the e-mails Marelle sends them.
struct LanguageController {
    let accounts: AccountLanguages
    let cookies: SessionCookie
    let csrf: CSRFTokens

    func register(on router: Router<AppRequestContext>) {
        router.get("/langue") { request, context in try choose(request, context, form: nil) }
        router.post("/langue") { request, context in
            let form = try await FormData(request: request, context: context)
            try csrf.verify(form, request, context)
            let response = try choose(request, context, form: form)
            if let account = context.session?.account, let language = Self.language(request, form) {
                try await accounts.set(language, tenant: try context.requireTenant(), account: account)
            }
            return response
        }
    }

    private func choose(_ request: Request, _ context: AppRequestContext, form: FormData?) throws -> Response {
        _ = try context.requireTenant()
        let back = LocalPath.orHome(form?["retour"] ?? request.uri.queryParameters["retour"].map(String.init))
        var response = Response(status: .seeOther, headers: [.location: back])
        if let language = Self.language(request, form) { response.setCookie(cookies.language(language)) }
        return response
    }

    private static func language(_ request: Request, _ form: FormData?) -> Language? {
        (form?["choix"] ?? request.uri.queryParameters["choix"].map(String.init)).flatMap { Language(rawValue: $0) }
    }
}
