import CConfusables
import MarelleCore

/// Addresses that look alike (Unicode TR #39, "confusable detection"): `pаul@exemple.fr` with
/// a Cyrillic "а" reads as `paul@exemple.fr` but is another mailbox, a way to have an account
/// created in someone's name. The skeleton maps every character to a representative of the
/// ones it can be mistaken for (ICU's data, from Unicode's confusables.txt).
public enum Confusables {
    /// The TR #39 skeleton of `text`; `text` itself when ICU cannot say.
    public static func skeleton(_ text: String) -> String {
        var utf8 = Array(text.utf8)
        let length = Int32(utf8.count)
        var capacity = max(64, utf8.count * 4)
        while true {
            var out = [UInt8](repeating: 0, count: capacity)
            let written = utf8.withUnsafeMutableBufferPointer { input in
                out.withUnsafeMutableBufferPointer { output in
                    input.withMemoryRebound(to: CChar.self) { source in
                        output.withMemoryRebound(to: CChar.self) { target in
                            marelle_confusable_skeleton(source.baseAddress, length, target.baseAddress, Int32(capacity))
                        }
                    }
                }
            }
            if written < 0 { return text }
            if Int(written) <= capacity { return String(decoding: out.prefix(Int(written)), as: UTF8.self) }
            capacity = Int(written)
        }
    }

    /// An existing address that `candidate` would be mistaken for, when `candidate` is not
    /// plain ASCII (two ASCII addresses that look alike, `rn` and `m`, are both ordinary and
    /// both someone's) and differs from it.
    public static func lookalike(of candidate: EmailAddress, among existing: [String]) -> String? {
        guard !candidate.value.allSatisfy(\.isASCII) else { return nil }
        let target = skeleton(candidate.value)
        return existing.first { $0 != candidate.value && skeleton($0) == target }
    }
}
