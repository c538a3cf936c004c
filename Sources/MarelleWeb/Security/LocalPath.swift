/// Where a redirect chosen by the request may go: only a path of this site. Anything else
/// (`//host`, `https://…`, a backslash trick, control characters, an empty or huge value)
/// sends home, so no parameter (`suite`, `retour`) makes the portal an open redirect.
enum LocalPath {
    static func orHome(_ candidate: String?) -> String {
        guard let candidate, candidate.hasPrefix("/"), !candidate.hasPrefix("//"), candidate.utf8.count <= 2000,
            !candidate.contains("\\"), !candidate.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else { return "/" }
        return candidate
    }
}
