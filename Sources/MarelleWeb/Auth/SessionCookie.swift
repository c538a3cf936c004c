import Foundation
import Hummingbird
import MarelleCore

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

    var loginAddressName: String { development ? "marelle_login" : "__Host-marelle_login" }

    /// The address whose password was just chosen, so that the login page that follows has it
    /// filled in. A cookie rather than the URL keeps the address out of access logs; it lives
    /// a quarter of an hour and the login page clears it once read.
    func loginAddress(_ email: String) -> Cookie {
        let value = email.addingPercentEncoding(withAllowedCharacters: Self.cookieSafe) ?? ""
        return Cookie(
            name: loginAddressName, value: value, maxAge: 900, path: "/", secure: !development, httpOnly: true,
            sameSite: .lax)
    }

    func expiredLoginAddress() -> Cookie {
        Cookie(name: loginAddressName, value: "", maxAge: 0, path: "/", secure: !development, httpOnly: true, sameSite: .lax)
    }

    /// Reads `loginAddress` back; anything that does not decode to an address is ignored.
    func loginAddress(in request: Request) -> String? {
        guard let raw = request.cookies[loginAddressName]?.value, !raw.isEmpty, raw.count <= 400,
            let email = raw.removingPercentEncoding, email.contains("@"),
            !email.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return email
    }

    private static let cookieSafe = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._-")

    var languageName: String { development ? "marelle_langue" : "__Host-marelle_langue" }

    /// The footer's choice of language, kept a year.
    func language(_ language: Language) -> Cookie {
        Cookie(
            name: languageName, value: language.rawValue, maxAge: 31_536_000, path: "/", secure: !development, httpOnly: true,
            sameSite: .lax)
    }
}
