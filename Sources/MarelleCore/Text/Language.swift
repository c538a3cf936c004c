/// The languages of the portal's own words (what families and staff write stays as written).
/// French is the default: the manual, the associations and most families speak it.
public enum Language: String, Sendable, CaseIterable {
    case fr
    case en

    /// The language of the request (or mail) being answered. Bound once per request by the
    /// web layer and carried onto the database threads by `Database`, so that a message
    /// composed anywhere below — a use case's refusal, a validation problem — comes out in
    /// the reader's language without every function taking a parameter.
    @TaskLocal public static var current: Language = .fr

    /// `fr`, `fr-FR`, `en-GB`… → the language; anything else → nil.
    public init?(tag: some StringProtocol) {
        let primary = tag.split(separator: "-", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        guard let language = Language(rawValue: primary) else { return nil }
        self = language
    }

    /// The first language of an `Accept-Language` header the portal speaks, by quality
    /// (RFC 9110 §12.5.4); nil when it names none of them.
    public static func preferred(acceptLanguage header: String?) -> Language? {
        guard let header, header.utf8.count <= 1000 else { return nil }
        var best: (language: Language, quality: Double)?
        for item in header.split(separator: ",").prefix(50) {
            let parts = item.split(separator: ";")
            guard let tag = parts.first?.trimmingSpaces, let language = Language(tag: tag) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingSpaces.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == "q", let q = Double(pair[1]), q >= 0, q <= 1 { quality = q }
            }
            guard quality > 0 else { continue }
            // Ties keep the first listed.
            if quality > best?.quality ?? 0 { best = (language, quality) }
        }
        return best?.language
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
