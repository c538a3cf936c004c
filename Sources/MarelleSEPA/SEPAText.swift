import Foundation

/// The characters a SEPA file may carry (the EPC's Latin set): accents are dropped, anything
/// else becomes a space, and the text is cut at the field's length. A family called
/// "Müller & Fils" is "Muller + Fils" at the bank.
public enum SEPAText {
    static let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-?:().,'+ ")

    public static func latin(_ text: String, max: Int) -> String {
        let folded = text.replacingOccurrences(of: "&", with: "+").replacingOccurrences(of: "ß", with: "ss")
            .replacingOccurrences(of: "Æ", with: "AE").replacingOccurrences(of: "æ", with: "ae")
            .replacingOccurrences(of: "Œ", with: "OE").replacingOccurrences(of: "œ", with: "oe")
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "fr_FR"))
        let kept = String(folded.map { allowed.contains($0) ? $0 : " " })
        let collapsed = kept.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return String(collapsed.prefix(max)).trimmingCharacters(in: .whitespaces)
    }
}
