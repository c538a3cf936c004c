import Foundation

/// The message catalogue: every sentence the portal says, in each `Language`, under one key
/// (`Messages/fr.json`, `Messages/en.json`). Swift code asks `tr(key, arguments…)`; templates
/// write `[[key]]` and get the text in place when they are loaded (`PageRenderer`).
///
/// A message's `{1}`, `{2}`… are replaced by the arguments in order; template messages may
/// hold Mustache tags and HTML instead, since they become part of the template.
public enum Messages {
    /// Loaded once: the files are part of the build, and a missing or broken one is a bug
    /// that the catalogue's tests catch before any release.
    public static let catalogues: [Language: [String: String]] = {
        var result: [Language: [String: String]] = [:]
        for language in Language.allCases {
            guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Messages"),
                let data = try? Data(contentsOf: url),
                let entries = try? JSONDecoder().decode([String: String].self, from: data)
            else {
                result[language] = [:]
                continue
            }
            result[language] = entries
        }
        return result
    }()

    /// The text of `key` in `language`; French when that language lacks it, the key itself
    /// when French does too (never a crash on a page: the tests keep both complete).
    public static func text(_ key: String, in language: Language = .current) -> String {
        catalogues[language]?[key] ?? catalogues[.fr]?[key] ?? key
    }

    /// Puts `arguments` in place of `{1}`, `{2}`… (at most nine).
    public static func fill(_ template: String, _ arguments: [String]) -> String {
        guard !arguments.isEmpty, template.contains("{") else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count + 16)
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest.index(after: open)
            if after < rest.endIndex, let digit = rest[after].wholeNumberValue, digit >= 1, digit <= arguments.count,
                rest.index(after: after) < rest.endIndex, rest[rest.index(after: after)] == "}"
            {
                result += arguments[digit - 1]
                rest = rest[rest.index(after: rest.index(after: after))...]
            } else {
                result.append("{")
                rest = rest[after...]
            }
        }
        result += rest
        return result
    }
}

/// The catalogue's text of `key` in the current language, `{1}`… filled with `arguments`
/// written as string interpolation would write them.
public func tr(_ key: String, _ arguments: Any...) -> String {
    Messages.fill(Messages.text(key), arguments.map { String(describing: $0) })
}
