/// Builds an HTML fragment in Swift, for the few parts of a page that repeat by the hundred
/// (a month's grid, a list of dates): Mustache looks every name up at run time, through
/// dynamic casts up its context stack, and those lookups were two thirds of the server's CPU
/// on Mon calendrier (`make bench`). Text is escaped as Mustache's `{{name}}` escapes it.
struct HTMLWriter {
    private(set) var html = ""

    /// Markup written as is: only string literals of the view, never data.
    mutating func raw(_ markup: StaticString) {
        html += markup.description
    }

    /// Text, escaped (`<`, `>`, `&`, `"` and `'`).
    mutating func text(_ value: String) {
        for character in value.unicodeScalars {
            switch character {
            case "<": html += "&lt;"
            case ">": html += "&gt;"
            case "&": html += "&amp;"
            case "\"": html += "&quot;"
            case "'": html += "&#39;"
            default: html.unicodeScalars.append(character)
            }
        }
    }

    mutating func text(_ value: Int) {
        html += String(value)
    }
}
