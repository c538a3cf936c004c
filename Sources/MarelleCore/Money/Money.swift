import Foundation

/// An amount in euro cents. Prices are exact: no floating point anywhere.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let cents: Int

    public init(cents: Int) {
        self.cents = cents
    }

    /// Parses what a person types: `1.85`, `1,85`, `2`, `0,5` (at most two decimals).
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
            .replacingOccurrences(of: "€", with: "").trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let euros = Int(parts[0]), euros >= 0, !parts[0].isEmpty else { return nil }
        var cents = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), let f = Int(fraction), f >= 0 else { return nil }
            cents = fraction.count == 1 ? f * 10 : f
        }
        let (total, overflow) = euros.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        self.cents = total + cents
    }

    /// `8,50 €`, as French readers write amounts (the portal we replace showed `8.50 €`:
    /// the one wording of the manual we do not keep). Thousands go ungrouped: `1250,00 €`.
    public var description: String {
        let sign = cents < 0 ? "-" : ""
        let a = abs(cents)
        return "\(sign)\(a / 100),\(a % 100 < 10 ? "0" : "")\(a % 100) €"
    }

    public static func + (a: Money, b: Money) -> Money { Money(cents: a.cents + b.cents) }
    public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }
    public static let zero = Money(cents: 0)
}

extension Sequence where Element == Money {
    public func sum() -> Money { reduce(.zero, +) }
}
