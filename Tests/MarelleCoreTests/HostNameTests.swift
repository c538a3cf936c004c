import MarelleCore
import Testing

@Suite("Host names and tenant slugs")
struct HostNameTests {
    @Test(
        "a Host header resolves to its tenant slug, an extra host, or nothing",
        arguments: [
            ("les-petits-malins.localhost", HostResolution.slug("les-petits-malins")),
            ("LES-PETITS-MALINS.LOCALHOST", .slug("les-petits-malins")),
            ("les-petits-malins.localhost:8080", .slug("les-petits-malins")),
            ("les-petits-malins.localhost.", .slug("les-petits-malins")),
            ("portail.ville-exemple.fr", .extraHost("portail.ville-exemple.fr")),
            ("Portail.Ville-Exemple.FR:443", .extraHost("portail.ville-exemple.fr")),
            ("evil.com", .extraHost("evil.com")),
            ("a.b.localhost", .none),
            ("localhost", .none),
            ("localhost:8080", .none),
            ("-bad.localhost", .none),
            ("", .none),
            ("[::1]:8080", .none),
            ("x.localhost:80a", .none),
            ("x..localhost", .none),
            ("x.localhost/evil", .none),
            ("caf\u{e9}.localhost", .none),
        ])
    func resolve(host: String, expected: HostResolution) {
        #expect(HostName.resolve(host, baseDomain: "localhost") == expected)
    }

    @Test("resolution works under a multi-label base domain")
    func multiLabelBase() {
        #expect(HostName.resolve("abc.portail.example.org", baseDomain: "portail.example.org") == .slug("abc"))
        #expect(HostName.resolve("portail.example.org", baseDomain: "portail.example.org") == .none)
        #expect(
            HostName.resolve("abcportail.example.org", baseDomain: "portail.example.org") == .extraHost("abcportail.example.org"))
    }

    @Test("slugs are single lower-case DNS labels", arguments: ["les-petits-malins", "a", "club42", "a-b-c"])
    func validSlugs(slug: String) throws {
        #expect(try TenantSlug(slug).value == slug)
    }

    @Test(
        "anything else is refused with a reason",
        arguments: [
            "", "Les-Petits", "les_petits", "-abc", "abc-", "a.b", "xn--caf-dma", "été", String(repeating: "a", count: 64), "a b",
        ])
    func invalidSlugs(slug: String) {
        #expect(throws: TenantSlugError.self) { try TenantSlug(slug) }
    }
}
