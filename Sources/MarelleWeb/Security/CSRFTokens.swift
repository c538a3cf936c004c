import Hummingbird
import MarelleApp
import MarelleAuth
import MarelleCore
import MarelleStore

/// The per-session token every form carries in `_csrf`. Before sign-in there is no session,
/// so anonymous forms (login, forgotten password) use a random token kept in a cookie of
/// their own and compared with the field (double submit).
struct CSRFTokens: Sendable {
    let cookies: SessionCookie

    /// The token to put in a form, and the cookie to set when an anonymous one was created.
    func token(_ request: Request, _ context: AppRequestContext) -> (String, Cookie?) {
        if let token = context.session?.csrfToken { return (token, nil) }
        if let existing = request.cookies[cookies.csrfName]?.value, SecureToken.isWellFormed(existing) { return (existing, nil) }
        let fresh = SecureToken.generate()
        return (fresh, cookies.csrf(fresh))
    }

    /// Renders a page holding a form: `render` gets the token to embed, and the anonymous
    /// token's cookie is set on the response when one was just created.
    func page(_ request: Request, _ context: AppRequestContext, _ render: (String) throws -> Response) rethrows -> Response {
        let (token, cookie) = token(request, context)
        var response = try render(token)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// Throws 403 unless the form's token matches; nothing is changed before this passes.
    func verify(_ form: FormData, _ request: Request, _ context: AppRequestContext) throws {
        try verify(sent: form["_csrf"], request, context)
    }

    /// The same check for a token read elsewhere (a multipart upload's field).
    func verify(sent: String?, _ request: Request, _ context: AppRequestContext) throws {
        let expected = context.session?.csrfToken ?? request.cookies[cookies.csrfName]?.value ?? ""
        guard !expected.isEmpty, let sent, SecureToken.constantTimeEquals(sent, expected) else {
            throw HTTPError(.forbidden, message: tr("CSRFTokens.le_formulaire_a_expire_rechargez"))
        }
    }
}
