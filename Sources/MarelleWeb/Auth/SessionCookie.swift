import Hummingbird

/// The names and attributes of Marelle's cookies. In production they are `__Host-`
/// prefixed, which makes the browser insist on Secure, Path=/ and no Domain: a cookie of
/// one association's host can then never be set for, or sent to, another's. Plain-http
/// development on localhost cannot use Secure, hence unprefixed names there.
struct SessionCookie: Sendable {
    let development: Bool

    var sessionName: String { development ? "marelle_session" : "__Host-marelle_session" }
    var csrfName: String { development ? "marelle_csrf" : "__Host-marelle_csrf" }

    func session(_ value: String) -> Cookie {
        Cookie(name: sessionName, value: value, path: "/", secure: !development, httpOnly: true, sameSite: .lax)
    }

    func expiredSession() -> Cookie {
        Cookie(name: sessionName, value: "", maxAge: 0, path: "/", secure: !development, httpOnly: true, sameSite: .lax)
    }

    /// The token of forms shown before sign-in (login, forgotten password).
    func csrf(_ value: String) -> Cookie {
        Cookie(name: csrfName, value: value, path: "/", secure: !development, httpOnly: true, sameSite: .lax)
    }
}
