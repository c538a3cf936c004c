import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// The development mail catcher: with `development` on, mails stay in the outbox and can be
/// read at `/_dev/mail` (links clickable) and `/_dev/mail.json`, newest first. These routes
/// are not registered at all outside development.
struct DevMailController {
    let useCases: UseCases
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/_dev/mail") { request, context in
            let tenant = try context.requireTenant()
            let messages = try await useCases.capturedMail.latest(tenant: tenant)
            let model = Page(
                layout: LayoutModel(tenant: tenant, title: tr("DevMailController.courriels_developpement"), context: context),
                messages: messages.map {
                    .init(
                        to: $0.to, subject: $0.subject, status: $0.status, body: Self.linkify($0.body),
                        at: ParisTime.format($0.createdAt))
                }, empty: messages.isEmpty)
            return HTML(body: try renderer.render("dev_mail", model), personal: true)
        }
        router.get("/_dev/mail.json") { _, context in
            let tenant = try context.requireTenant()
            let messages = try await useCases.capturedMail.latest(tenant: tenant)
            return JSONReply(messages.map(CapturedMailBody.init))
        }
    }

    /// `dev_mail.mustache`: the captured mails, newest first.
    struct Page {
        let layout: LayoutModel
        let messages: [Message]
        let empty: Bool

        struct Message {
            let to: String
            let subject: String
            let status: String
            /// Escaped, links made clickable (`linkify`).
            let body: String
            let at: String
        }
    }

    /// Escapes the text, then turns http(s) URLs into links. The result goes into the page
    /// unescaped (`{{{body}}}`), so escaping first is what keeps it safe.
    static func linkify(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        return escaped.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: " ", omittingEmptySubsequences: false).map { word in
                word.hasPrefix("http://") || word.hasPrefix("https://") ? "<a href=\"\(word)\">\(word)</a>" : String(word)
            }.joined(separator: " ")
        }.joined(separator: "<br>\n")
    }
}

/// `GET /_dev/mail.json`: one captured mail, for the end-to-end tests that follow a link.
struct CapturedMailBody: Encodable {
    let id: Int
    let kind: String
    let to: String
    let subject: String
    let body: String
    let status: String
    let createdAt: Date

    init(_ m: OutboxStore.Message) {
        (id, kind, to, subject, body, status, createdAt) = (m.id, m.kind, m.to, m.subject, m.body, m.status, m.createdAt)
    }
}
