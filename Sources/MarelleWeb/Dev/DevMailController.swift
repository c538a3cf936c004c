import MarelleApp
import MarelleCore
import Foundation
import Hummingbird
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
            let items: [[String: Any]] = messages.map {
                ["id": $0.id, "to": $0.to, "subject": $0.subject, "status": $0.status, "body": Self.linkify($0.body),
                 "at": ParisTime.format($0.createdAt)]
            }
            let model: [String: Any] = [
                "layout": LayoutModel(tenant: tenant, title: "Courriels (développement)", context: context),
                "messages": items, "empty": items.isEmpty,
            ]
            return HTML(body: try renderer.render("dev_mail", model), personal: true)
        }
        router.get("/_dev/mail.json") { _, context in
            let tenant = try context.requireTenant()
            let messages = try await useCases.capturedMail.latest(tenant: tenant)
            return JSONResponse(object: messages.map {
                ["id": $0.id, "kind": $0.kind, "to": $0.to, "subject": $0.subject, "body": $0.body, "status": $0.status,
                 "createdAt": ISO8601DateFormatter().string(from: $0.createdAt)] as [String: Any]
            })
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
