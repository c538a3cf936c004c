import Foundation
import MarelleCore
import MarelleTestSupport
import Testing

/// The catalogue is complete in both languages, and no French sentence is left outside it.
@Suite("Message catalogue: French and English")
struct MessageCatalogueTests {
    static let sources = TestEnvironment.repoRoot + "/Sources"

    /// Files whose French literals are data, not the portal's words: the demo association's
    /// content, the grammar of French names, a keyboard row of the password check, an SQL
    /// fallback for an erased family, school levels (their official names).
    static let dataFiles: Set<String> = [
        "DemoSeeder.swift", "ShowcaseFixture.swift", "LoadFixtureCommand.swift", "FrenchName.swift", "PasswordStrength.swift",
        "BookingDecisions.swift", "SchoolLevel.swift", "Messages.swift", "Language.swift",
    ]

    static func files(under directory: String, ending suffix: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var result: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(suffix) { result.append(directory + "/" + path) }
        }
        return result.sorted()
    }

    static func matches(_ pattern: String, in text: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test("both languages hold the same keys, none empty, with the same placeholders and template tags")
    func sameKeys() throws {
        let french = try #require(Messages.catalogues[.fr])
        let english = try #require(Messages.catalogues[.en])
        #expect(french.count > 1000)
        #expect(Set(french.keys).subtracting(english.keys).sorted() == [])
        #expect(Set(english.keys).subtracting(french.keys).sorted() == [])
        for (key, text) in french {
            let other = english[key] ?? ""
            #expect(!text.isEmpty && !other.isEmpty, "\(key) is empty")
            let holes = try Set(Self.matches(#"(\{\d\}|\{\{[^}]*\}\})"#, in: text))
            #expect(holes == (try Set(Self.matches(#"(\{\d\}|\{\{[^}]*\}\})"#, in: other))), "\(key): \(text) / \(other)")
        }
    }

    @Test("every key the templates and the Swift sources use is in the catalogue, and every key is used")
    func keysUsed() throws {
        let french = try #require(Messages.catalogues[.fr])
        var used = Set<String>()
        for file in try Self.files(under: Self.sources, ending: ".mustache") {
            used.formUnion(try Self.matches(#"\[\[([A-Za-z0-9_.]+)\]\]"#, in: try String(contentsOfFile: file, encoding: .utf8)))
        }
        for file in try Self.files(under: Self.sources, ending: ".swift") {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            used.formUnion(try Self.matches(#"tr\(\s*"([A-Za-z0-9_.]+)""#, in: text))
            used.formUnion(
                try Self.matches(#"tr\("(wizard_planning\.weekday_)\\"#, in: text).flatMap { p in (1...7).map { "\(p)\($0)" } })
            if text.contains(#"tr("common.month_" + "#) {
                used.formUnion((1...12).map { String(format: "common.month_%02d", $0) })
            }
        }
        #expect(used.subtracting(french.keys).subtracting(["common.month_"]).sorted() == [])
        #expect(Set(french.keys).subtracting(used).sorted() == [])
    }

    @Test("the templates hold no text of their own: every word is a [[key]]")
    func templatesHoldNoText() throws {
        for file in try Self.files(under: Self.sources, ending: ".mustache") {
            var text = try String(contentsOfFile: file, encoding: .utf8)
            for pattern in [#"<!--[\s\S]*?-->"#, #"<[^>]*>"#, #"\{\{[^}]*\}\}\}?"#, #"\[\[[^\]]*\]\]"#, #"&[a-z]+;"#] {
                text = try NSRegularExpression(pattern: pattern).stringByReplacingMatches(
                    in: text, range: NSRange(text.startIndex..., in: text), withTemplate: " ")
            }
            let words = text.split(whereSeparator: { !$0.isLetter })
            #expect(words.isEmpty, "\(file): \(words.prefix(5))")
        }
    }

    @Test("no French sentence is left in a Swift string literal outside the catalogue")
    func swiftHoldsNoFrench() throws {
        let french = try NSRegularExpression(
            pattern:
                #"[àâçéèêëîïôûùüÿœÉÀÇ]|\b[dlj]'[a-z]|\b(le|la|les|des|une|vous|votre|vos|pour|avec|est|sont|pas|cette|aux|dans|sur|bonjour|merci|inscriptions?|annulations?)\b"#,
            options: [.caseInsensitive])
        // A single word is French when the catalogue has it as a French text that English says otherwise.
        let catalogue = try #require(Messages.catalogues[.fr])
        let english = try #require(Messages.catalogues[.en])
        // Form values and field names (oui, non, enfant…) are the protocol, not words shown.
        let formWords: Set<String> = ["oui", "non", "enfant", "enfants", "demande"]
        let frenchWords = Set(catalogue.filter { english[$0.key] != $0.value }.values.map { $0.lowercased() })
            .subtracting(formWords)
        var found: [String] = []
        for file in try Self.files(under: Self.sources, ending: ".swift")
        where !Self.dataFiles.contains(URL(fileURLWithPath: file).lastPathComponent) {
            for (number, line) in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") || code.hasPrefix("///") { continue }
                for literal in try Self.matches(#""((?:[^"\\]|\\.)*)""#, in: String(line))
                where literal.contains(" ") || literal.hasSuffix(",") || frenchWords.contains(literal.lowercased()) {
                    let range = NSRange(literal.startIndex..., in: literal)
                    if french.firstMatch(in: literal, range: range) != nil, !literal.contains("SELECT"),
                        !literal.contains("logger")
                    {
                        found.append("\(URL(fileURLWithPath: file).lastPathComponent):\(number + 1): \(literal)")
                    }
                }
            }
        }
        #expect(found == [])
    }
}
