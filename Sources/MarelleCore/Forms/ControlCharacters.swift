/// Characters nobody types into a form: the C0 controls but tab, line feed and carriage
/// return, DEL and the C1 controls. PostgreSQL cannot store NUL in `text` or `jsonb` (and
/// libpq would cut a string there), and the others only ever come from a hostile client or a
/// broken export; one rule for pages, API bodies and CSV imports refuses them all, naming the
/// field, before anything is written.
public enum ControlCharacters {
    public static var message: String { tr("ControlCharacters.ce_champ_contient_un_caractere") }

    /// Whether `text` holds one of them; a scan of its UTF-8 bytes, cheap enough for every field.
    public static func found(in text: String) -> Bool {
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case 0x09, 0x0A, 0x0D: continue
            case 0x00..<0x20, 0x7F: return true
            // U+0080…U+009F are 0xC2 0x80…0x9F in UTF-8.
            case 0xC2:
                if let next = utf8.next(), (0x80...0x9F).contains(next) { return true }
            default: continue
            }
        }
        return false
    }

    /// The problem of `field` when its value holds one, else nil.
    public static func problem(field: String, value: String) -> FieldProblem? {
        found(in: value) ? FieldProblem(field: field, message: message) : nil
    }

    /// `text` without them, for what is a label rather than data someone typed (an uploaded
    /// file's name, a search box).
    public static func removed(from text: String) -> String {
        guard found(in: text) else { return text }
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isControl(scalar) { kept.append(scalar) }
        return String(kept)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00..<0x20, 0x7F...0x9F: true
        default: false
        }
    }
}

extension FormData {
    /// One problem per field whose value (any of its values) holds a control character, in
    /// the order of the fields' names so that the answer is the same each time.
    public var controlCharacterProblems: [FieldProblem] {
        var problems: [FieldProblem] = []
        for name in Set(fields.keys).union(lists.keys).sorted() {
            let values = [fields[name]].compactMap { $0 } + (lists[name] ?? [])
            if ControlCharacters.found(in: name) || values.contains(where: ControlCharacters.found(in:)) {
                problems.append(FieldProblem(field: ControlCharacters.removed(from: name), message: ControlCharacters.message))
            }
        }
        return problems
    }
}
