/// French school levels, from the first year of maternelle to collège.
public enum SchoolLevel: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case ps = "PS"
    case ms = "MS"
    case gs = "GS"
    case cp = "CP"
    case ce1 = "CE1"
    case ce2 = "CE2"
    case cm1 = "CM1"
    case cm2 = "CM2"
    case college = "collège"

    public var label: String { rawValue }

    public static func < (a: SchoolLevel, b: SchoolLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
