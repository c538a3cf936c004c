/// Reads the text PostgreSQL writes for `ARRAY(SELECT t::text FROM (query) t)`: a text array
/// (`array_out`) whose elements are records (`record_out`). That is how several reads travel
/// as one statement (`Session.fetchInOne`); each record's fields are the text output of its
/// columns, exactly what a result of the query alone would hold, so the same decoders read them.
enum RecordArrays {
    struct Malformed: Error {}

    /// The rows of one read: its records' fields in one buffer, named `columns`.
    static func cells(_ text: [UInt8], columns: ColumnNames) throws(Malformed) -> ResultCells {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var ends: [Int] = []
        for record in try elements(text) {
            let before = starts.count
            try fields(record, into: &bytes, starts: &starts, ends: &ends)
            guard starts.count - before == columns.names.count else { throw Malformed() }
        }
        return ResultCells(columns: columns, bytes: bytes, starts: starts, ends: ends)
    }

    /// The elements of a one-dimensional array's text, `{a,"b c"}`: quoted ones escape `"`
    /// and `\` with a backslash. A record's text is never NULL.
    static func elements(_ text: [UInt8]) throws(Malformed) -> [[UInt8]] {
        guard text.first == UInt8(ascii: "{"), text.last == UInt8(ascii: "}") else { throw Malformed() }
        var result: [[UInt8]] = []
        var i = 1
        let end = text.count - 1
        guard i < end else { return [] }
        while i < end {
            var element: [UInt8] = []
            if text[i] == UInt8(ascii: "\"") {
                i += 1
                while true {
                    guard i < end else { throw Malformed() }
                    let byte = text[i]
                    if byte == UInt8(ascii: "\\") {
                        guard i + 1 < end else { throw Malformed() }
                        element.append(text[i + 1])
                        i += 2
                    } else if byte == UInt8(ascii: "\"") {
                        i += 1
                        break
                    } else {
                        element.append(byte)
                        i += 1
                    }
                }
            } else {
                while i < end, text[i] != UInt8(ascii: ",") {
                    element.append(text[i])
                    i += 1
                }
            }
            result.append(element)
            if i < end {
                guard text[i] == UInt8(ascii: ",") else { throw Malformed() }
                i += 1
            }
        }
        return result
    }

    /// The fields of a record's text, `(1,"a b",,"say ""hi""")`: an empty field is NULL;
    /// quoted ones double `"` and `\`.
    static func fields(_ record: [UInt8], into bytes: inout [UInt8], starts: inout [Int], ends: inout [Int]) throws(Malformed) {
        guard record.first == UInt8(ascii: "("), record.last == UInt8(ascii: ")") else { throw Malformed() }
        let end = record.count - 1
        var i = 1
        while true {
            if i == end || record[i] == UInt8(ascii: ",") {
                // Nothing between two commas: NULL.
                starts.append(-1)
                ends.append(-1)
            } else {
                starts.append(bytes.count)
                if record[i] == UInt8(ascii: "\"") {
                    i += 1
                    while true {
                        guard i < end else { throw Malformed() }
                        let byte = record[i]
                        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                            if i + 1 < end, record[i + 1] == byte {
                                bytes.append(byte)
                                i += 2
                            } else if byte == UInt8(ascii: "\"") {
                                i += 1
                                break
                            } else {
                                throw Malformed()
                            }
                        } else {
                            bytes.append(byte)
                            i += 1
                        }
                    }
                } else {
                    while i < end, record[i] != UInt8(ascii: ",") {
                        bytes.append(record[i])
                        i += 1
                    }
                }
                ends.append(bytes.count)
            }
            if i == end { return }
            guard record[i] == UInt8(ascii: ",") else { throw Malformed() }
            i += 1
        }
    }
}
