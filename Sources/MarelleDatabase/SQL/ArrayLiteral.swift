/// PostgreSQL's one-dimensional array literal (`{"a","b\"c"}`), the text form of arrays both
/// ways. Every element is quoted on the way out so that commas, braces and the word NULL in
/// user text stay text.
enum ArrayLiteral {
    static func encode(_ elements: [String]) -> String {
        var out = "{"
        for (i, element) in elements.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for ch in element {
                if ch == "\"" || ch == "\\" { out.append("\\") }
                out.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }

    /// Parses the server's output; nil elements are SQL NULLs.
    static func decode(_ text: String) throws(RowDecodingError) -> [String?] {
        var chars = Substring(text)
        // A lower bound other than 1 prints as `[0:2]={...}`; Marelle never makes one.
        guard chars.first == "{", chars.last == "}" else { throw .malformed(type: "array") }
        chars = chars.dropFirst().dropLast()
        if chars.isEmpty { return [] }
        var result: [String?] = []
        var index = chars.startIndex
        while index <= chars.endIndex {
            if index < chars.endIndex, chars[index] == "\"" {
                var element = ""
                index = chars.index(after: index)
                while index < chars.endIndex, chars[index] != "\"" {
                    if chars[index] == "\\" { index = chars.index(after: index) }
                    guard index < chars.endIndex else { throw .malformed(type: "array") }
                    element.append(chars[index])
                    index = chars.index(after: index)
                }
                guard index < chars.endIndex else { throw .malformed(type: "array") }
                index = chars.index(after: index)
                result.append(element)
            } else {
                let end = chars[index...].firstIndex(of: ",") ?? chars.endIndex
                let raw = String(chars[index..<end])
                if raw.contains("{") { throw .malformed(type: "array (nested)") }
                result.append(raw == "NULL" ? nil : raw)
                index = end
            }
            if index == chars.endIndex { break }
            guard chars[index] == "," else { throw .malformed(type: "array") }
            index = chars.index(after: index)
        }
        return result
    }
}
