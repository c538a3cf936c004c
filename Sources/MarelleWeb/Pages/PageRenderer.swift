import Foundation
import Hummingbird
import Mustache

/// The Mustache templates of `Templates/`, loaded once at start.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let stylesheet: String

    public init() async throws {
        guard let templates = Bundle.module.path(forResource: "Templates", ofType: nil),
            let css = Bundle.module.path(forResource: "marelle", ofType: "css", inDirectory: "Public")
        else { throw PageRendererError.missingResources }
        library = try await MustacheLibrary(directory: templates)
        stylesheet = try String(contentsOfFile: css, encoding: .utf8)
    }

    /// Renders `name` with `model`; a template that fails to render is a bug, reported as 500.
    func render(_ name: String, _ model: Any) throws -> String {
        guard let html = library.render(model, withTemplate: name) else {
            throw HTTPError(.internalServerError, message: "template \(name) is missing")
        }
        return html
    }
}

enum PageRendererError: Error {
    case missingResources
}
