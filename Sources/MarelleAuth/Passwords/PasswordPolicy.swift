import Foundation
import MarelleCore

/// The rules for a new password (NIST SP 800-63B style): long enough, not absurdly long,
/// any Unicode, no composition rules, not one of the 30,000 most common passwords nor built
/// on the person's e-mail or the association's name, and not quickly guessed from how it is
/// made (`PasswordStrength`: a keyboard walk, a common word and a year...).
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 12
    public static let maximumLength = 256
    let common: Set<String>
    let strength: PasswordStrength

    public init() throws {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        let words = text.split(separator: "\n").map(String.init)
        common = Set(words)
        strength = PasswordStrength(rankedWords: words)
    }

    public var commonCount: Int { common.count }

    /// Checks a candidate; `email` and `slug` are those of the account and its association.
    public func check(_ password: String, email: EmailAddress?, slug: String?) -> PasswordProblem? {
        let length = password.count
        if length < Self.minimumLength { return .tooShort(minimum: Self.minimumLength) }
        if length > Self.maximumLength { return .tooLong(maximum: Self.maximumLength) }
        let lowered = password.lowercased()
        if common.contains(lowered) { return .common }
        if let local = email?.localPart, local.count >= 3, lowered.contains(local) { return .containsEmail }
        if let slug, slug.count >= 3 {
            let compact = slug.replacingOccurrences(of: "-", with: "")
            if lowered.contains(slug) || lowered.replacingOccurrences(of: " ", with: "").contains(compact) {
                return .containsAssociation
            }
        }
        let estimate = strength.estimate(password)
        if estimate.guesses < PasswordStrength.minimumGuesses { return .predictable(reason: estimate.reason) }
        return nil
    }
}
