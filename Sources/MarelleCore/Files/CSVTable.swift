import Foundation

/// A CSV file as spreadsheets write it (RFC 4180): a header line, fields separated by commas
/// or semicolons (French Excel), quoted when they hold a separator, a quote or a line break.
/// Each record keeps the line number it starts on, for error messages.
public struct CSVTable: Sendable {
    public let header: [String]
    public let records: [(line: Int, fields: [String])]

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case empty
        case unterminatedQuote(line: Int)

        public var description: String {
            switch self {
            case .empty: "the file is empty"
            case .unterminatedQuote(let line): "line \(line): a quoted field is never closed"
            }
        }
    }

    public init(parsing text: String) throws {
        var text = Substring(text)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let separator: Character = firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
        var rows: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var rowLine = 1
        var inQuotes = false
        var quoteLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let after = next() {
                        if after == "\"" { field.append("\"") } else { inQuotes = false; pending = after }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c == "\r\n" ? "\n" : c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
                quoteLine = line
            } else if c == separator {
                fields.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" {
                fields.append(field)
                rows.append((rowLine, fields))
                fields = []
                field = ""
                line += 1
                rowLine = line
            } else {
                field.append(c)
            }
        }
        if inQuotes { throw Failure.unterminatedQuote(line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append((rowLine, fields))
        }
        rows.removeAll { $0.1.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let first = rows.first else { throw Failure.empty }
        header = first.1.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        records = rows.dropFirst().map { (line: $0.0, fields: $0.1) }
    }

    /// The value of `column` in a record ("" when the column or the field is missing).
    public func value(_ column: String, in fields: [String]) -> String {
        guard let index = header.firstIndex(of: column), index < fields.count else { return "" }
        return fields[index].trimmingCharacters(in: .whitespaces)
    }
}
