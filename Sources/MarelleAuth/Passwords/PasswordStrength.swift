import Foundation
import MarelleCore

/// How many guesses a password would take an attacker who knows how people build them, in
/// the spirit of zxcvbn (Wheeler, USENIX Security 2016): the password is cut into the pieces
/// that make it cheapest to guess (common words, also with capitals and leet, keyboard walks,
/// repeats, sequences, years and dates, runs of digits) and anything else guessed character by
/// character; the estimate is the product of the pieces' guesses, times the number of ways of
/// ordering that many pieces. The blocklist catches whole common passwords; this catches
/// `azertyuiop12`, `aaaaaaaaaaab` or `Soleil2027!!!`, which are built from them.
struct PasswordStrength: Sendable {
    /// Fewer guesses than this is refused: zxcvbn's "safely unguessable" (score 3), enough
    /// behind a slow hash and the login throttle.
    static let minimumGuesses = 1e8

    /// What a piece of the password is, in French for the refusal.
    enum Pattern: Sendable, Equatable {
        case word(String)
        case keyboard(String)
        case repeated(String)
        case sequence(String)
        case date(String)
        case digits(String)
        case other

        var reason: String? {
            switch self {
            case .word(let w): tr("PasswordStrength.il_repose_sur_un_mot", w)
            case .keyboard(let w): tr("PasswordStrength.il_repose_sur_une_suite", w)
            case .repeated(let w): tr("PasswordStrength.il_repete_les_memes_caracteres", w)
            case .sequence(let w): tr("PasswordStrength.il_contient_une_suite_facile", w)
            case .date(let w): tr("PasswordStrength.il_contient_une_annee_ou", w)
            case .digits(let w): tr("PasswordStrength.il_contient_une_suite_de", w)
            case .other: nil
            }
        }
    }

    struct Estimate: Sendable {
        let guesses: Double
        let pieces: [Pattern]

        /// The reason to show: the first recognisable piece.
        var reason: String {
            pieces.lazy.compactMap(\.reason).first ?? tr("PasswordStrength.il_est_trop_court_pour")
        }
    }

    /// Words by frequency rank (1 is the most common), from the blocklist's own list.
    let ranks: [String: Int]

    init(rankedWords: [String]) {
        var ranks: [String: Int] = [:]
        for (index, word) in rankedWords.enumerated() where word.count >= 3 && ranks[word] == nil {
            ranks[word] = index + 1
        }
        self.ranks = ranks
    }

    func estimate(_ password: String) -> Estimate {
        let characters = Array(password)
        let n = characters.count
        guard n > 0 else { return Estimate(guesses: 1, pieces: []) }
        let pieces = Dictionary(grouping: matches(characters), by: \.end)
        // In log10, so that products are sums: bruteforce of characters[a..<b] costs
        // prefix[b] - prefix[a].
        var prefix = [0.0]
        for c in characters { prefix.append(prefix.last! + log10(Self.cardinality(c))) }
        // best[end][count]: the fewest guesses (log10) for characters[0..<end] in `count` pieces.
        let maxPieces = min(n, 12)
        var best = Array(repeating: Array(repeating: Double.infinity, count: maxPieces + 1), count: n + 1)
        var back = Array(repeating: Array(repeating: (start: 0, pattern: Pattern.other), count: maxPieces + 1), count: n + 1)
        best[0][0] = 0
        for end in 1...n {
            for count in 1...maxPieces {
                // Anything not recognised: guessed character by character.
                for start in 0..<end where best[start][count - 1].isFinite {
                    let guesses = best[start][count - 1] + prefix[end] - prefix[start]
                    if guesses < best[end][count] {
                        best[end][count] = guesses
                        back[end][count] = (start, .other)
                    }
                }
                for piece in pieces[end] ?? [] where best[piece.start][count - 1].isFinite {
                    let guesses = best[piece.start][count - 1] + log10(piece.guesses)
                    if guesses < best[end][count] {
                        best[end][count] = guesses
                        back[end][count] = (piece.start, piece.pattern)
                    }
                }
            }
        }
        // Ordering `count` pieces: count! ways, as zxcvbn adds.
        var total = Double.infinity
        var chosen = 1
        for count in 1...maxPieces where best[n][count].isFinite {
            let withOrder = best[n][count] + log10(Self.factorial(count))
            if withOrder < total { (total, chosen) = (withOrder, count) }
        }
        var found: [Pattern] = []
        var (end, count) = (n, chosen)
        while end > 0 && count > 0 {
            let step = back[end][count]
            found.insert(step.pattern, at: 0)
            (end, count) = (step.start, count - 1)
        }
        return Estimate(guesses: pow(10, min(total, 300)), pieces: found)
    }

    // MARK: - Pieces

    private struct Piece {
        let start: Int
        let end: Int
        let guesses: Double
        let pattern: Pattern
    }

    private func matches(_ characters: [Character]) -> [Piece] {
        let n = characters.count
        var pieces: [Piece] = []
        let lowered = characters.map { Character($0.lowercased()) }
        for start in 0..<n {
            for end in stride(from: start + 3, through: min(n, start + 24), by: 1) {
                let text = String(characters[start..<end])
                let lower = String(lowered[start..<end])
                // Words, as typed or with their leet letters read back.
                for (candidate, leet) in [(lower, false), (Self.unleet(lower), true)] {
                    guard let rank = ranks[candidate], !(leet && candidate == lower) else { continue }
                    var guesses = Double(rank)
                    if text != lower { guesses *= text.first?.isUppercase == true ? 2 : 10 }
                    if leet { guesses *= 4 }
                    pieces.append(Piece(start: start, end: end, guesses: guesses, pattern: .word(text)))
                }
                if Self.isKeyboardWalk(lower) {
                    pieces.append(Piece(start: start, end: end, guesses: 200 * Double(end - start), pattern: .keyboard(text)))
                }
                if let step = Self.sequenceStep(lower) {
                    let base: Double = characters[start].isNumber ? 10 : 26
                    pieces.append(
                        Piece(
                            start: start, end: end, guesses: base * Double(end - start) * (step < 0 ? 2 : 1),
                            pattern: .sequence(text)))
                }
                if let unit = Self.repeatedUnit(text) {
                    let unitGuesses = unit.reduce(1.0) { $0 * Self.cardinality($1) }
                    pieces.append(
                        Piece(
                            start: start, end: end, guesses: unitGuesses * Double((end - start) / unit.count),
                            pattern: .repeated(text)))
                }
                if text.allSatisfy(\.isASCIIDigit) {
                    if let dateGuesses = Self.dateGuesses(text) {
                        pieces.append(Piece(start: start, end: end, guesses: dateGuesses, pattern: .date(text)))
                    }
                    pieces.append(
                        Piece(start: start, end: end, guesses: pow(10, Double(end - start)) / 2, pattern: .digits(text)))
                }
            }
            // A year alone is four characters; two-digit years are digits like any.
            if start + 4 <= n, let year = Int(String(characters[start..<(start + 4)])),
                characters[start..<(start + 4)].allSatisfy(\.isASCIIDigit), (1900...2049).contains(year)
            {
                pieces.append(Piece(start: start, end: start + 4, guesses: 150, pattern: .date(String(year))))
            }
        }
        return pieces
    }

    /// Guesses per character not otherwise recognised, by its kind.
    private static func cardinality(_ c: Character) -> Double {
        if c.isASCII {
            if c.isLowercase { return 26 }
            if c.isUppercase { return 26 }
            if c.isNumber { return 10 }
            return 33
        }
        // Accented Latin letters are few; other scripts and emoji many.
        if c.isLetter, c.unicodeScalars.first.map({ $0.value < 0x250 }) == true { return 40 }
        return 100
    }

    private static func factorial(_ n: Int) -> Double {
        (1...max(1, n)).reduce(1.0) { $0 * Double($1) }
    }

    private static let leet: [Character: Character] = [
        "4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o", "5": "s", "$": "s", "7": "t", "+": "t", "8": "b",
    ]

    private static func unleet(_ text: String) -> String {
        String(text.map { leet[$0] ?? $0 })
    }

    /// The rows of French and English keyboards, and the digits.
    private static let rows = [
        "azertyuiop", "qsdfghjklm", "wxcvbn", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "&é\"'(-è_çà",
    ]

    /// Three or more keys side by side on one row, either way.
    private static func isKeyboardWalk(_ text: String) -> Bool {
        guard text.count >= 4 else { return false }
        return rows.contains { $0.contains(text) || String($0.reversed()).contains(text) }
    }

    /// `abc`, `9876`, `aceg`: the same step between each character and the next (±1 or ±2).
    private static func sequenceStep(_ text: String) -> Int? {
        let values = text.unicodeScalars.map { Int($0.value) }
        guard values.count >= 3, let first = values.first, let second = values.dropFirst().first else { return nil }
        let step = second - first
        guard [1, -1, 2, -2].contains(step), zip(values, values.dropFirst()).allSatisfy({ $1 - $0 == step }) else { return nil }
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return step
    }

    /// The shortest unit that, repeated at least twice, makes `text` (`aaa` → `a`, `abab` → `ab`).
    private static func repeatedUnit(_ text: String) -> [Character]? {
        let characters = Array(text)
        let n = characters.count
        for size in 1...(n / 2) where n % size == 0 {
            let unit = Array(characters[0..<size])
            if stride(from: size, to: n, by: size).allSatisfy({ Array(characters[$0..<($0 + size)]) == unit }) {
                return unit
            }
        }
        return nil
    }

    /// A date written with digits only (`14032019`, `140319`, `20190314`): days of a century.
    private static func dateGuesses(_ digits: String) -> Double? {
        let d = Array(digits).compactMap(\.wholeNumberValue)
        func valid(day: Int, month: Int) -> Bool { (1...31).contains(day) && (1...12).contains(month) }
        switch d.count {
        case 6 where valid(day: d[0] * 10 + d[1], month: d[2] * 10 + d[3]): return 365 * 100
        case 8
        where valid(day: d[0] * 10 + d[1], month: d[2] * 10 + d[3]) || valid(day: d[6] * 10 + d[7], month: d[4] * 10 + d[5]):
            return 365 * 150
        default: return nil
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
