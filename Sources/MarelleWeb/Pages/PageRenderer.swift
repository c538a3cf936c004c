import Foundation
import Hummingbird
import MarelleCore
import Mustache

/// The Mustache templates of `Templates/`, loaded once at start, one library per language:
/// each template's `[[key]]` is replaced by the catalogue's text before it is parsed, so a
/// page costs the same in every language and a message may hold Mustache tags and markup.
public struct PageRenderer: Sendable {
    let libraries: [Language: MustacheLibrary]
    let stylesheet: String

    public init() async throws {
        guard let templates = Bundle.module.path(forResource: "Templates", ofType: nil),
            let css = Bundle.module.path(forResource: "marelle", ofType: "css", inDirectory: "Public")
        else { throw PageRendererError.missingResources }
        let sources = try Self.sources(in: templates)
        var libraries: [Language: MustacheLibrary] = [:]
        for language in Language.allCases {
            var library = MustacheLibrary()
            for (name, source) in sources {
                try library.register(Self.localize(source, in: language), named: name)
            }
            libraries[language] = library
        }
        self.libraries = libraries
        stylesheet = try String(contentsOfFile: css, encoding: .utf8)
    }

    /// Renders `name` with `model` in the request's language; a template that fails to render
    /// is a bug, reported as 500.
    func render(_ name: String, _ model: Any) throws -> String {
        guard let html = libraries[Language.current]?.render(model, withTemplate: name) else {
            throw HTTPError(.internalServerError, message: "template \(name) is missing")
        }
        return html
    }

    /// Every `.mustache` file of `directory`, by name without the extension.
    static func sources(in directory: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".mustache") {
            result[String(file.dropLast(".mustache".count))] = try String(
                contentsOfFile: directory + "/" + file, encoding: .utf8)
        }
        return result
    }

    /// `source` with each `[[key]]` replaced by the key's text in `language`.
    static func localize(_ source: String, in language: Language) -> String {
        var result = ""
        var rest = Substring(source)
        while let open = rest.range(of: "[["), let close = rest[open.upperBound...].range(of: "]]") {
            result += rest[..<open.lowerBound]
            result += Messages.text(String(rest[open.upperBound..<close.lowerBound]), in: language)
            rest = rest[close.upperBound...]
        }
        result += rest
        return result
    }
}

enum PageRendererError: Error {
    case missingResources
}
