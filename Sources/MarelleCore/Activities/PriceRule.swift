/// What one date of an activity costs a family.
public enum PriceRule: Sendable, Hashable {
    case flat(Money)
    /// Brackets of quotient familial: each applies up to its `upTo` (inclusive); the last has
    /// no bound. A family with no valid QF pays the last (top) bracket.
    case quotient([QuotientBracket])

    public struct QuotientBracket: Sendable, Hashable, Codable {
        public let upTo: Int?
        public let price: Money

        public init(upTo: Int?, price: Money) {
            self.upTo = upTo
            self.price = price
        }
    }

    /// Checks brackets: at least one, bounds strictly increasing, only the last unbounded,
    /// no negative price.
    public static func brackets(_ brackets: [QuotientBracket]) throws(PriceRuleError) -> PriceRule {
        guard let last = brackets.last else { throw .noBracket }
        guard last.upTo == nil else { throw .lastBracketBounded }
        let bounds = brackets.dropLast().map(\.upTo)
        guard bounds.allSatisfy({ $0 != nil }) else { throw .unboundedBracketNotLast }
        let values = bounds.compactMap { $0 }
        guard values.allSatisfy({ $0 >= 0 }), zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .boundsNotIncreasing
        }
        guard values.allSatisfy({ $0 <= Self.largestQuotient }) else { throw .quotientTooLarge }
        guard brackets.allSatisfy({ $0.price.cents >= 0 }) else { throw .negativePrice }
        guard brackets.allSatisfy({ $0.price.cents <= Self.largestPrice.cents }) else { throw .priceTooLarge }
        return .quotient(brackets)
    }

    /// A flat price, checked like a bracket's.
    public static func checkedFlat(_ amount: Money) throws(PriceRuleError) -> PriceRule {
        guard amount.cents >= 0 else { throw .negativePrice }
        guard amount.cents <= largestPrice.cents else { throw .priceTooLarge }
        return .flat(amount)
    }

    /// The most one date may cost (10 000,00 €). Far above any real price, and well inside
    /// the `integer` column a booking line stores its price in, so that no price accepted
    /// here can fail a booking later; a sum of 400 dates still fits.
    public static let largestPrice = Money(cents: 1_000_000)

    /// The highest bracket bound, the same as the highest quotient familial a guardian's card
    /// takes.
    public static let largestQuotient = 99_999

    /// The price for a family whose quotient familial is `qf` (nil: unknown or expired).
    public func price(quotient qf: Int?) -> Money {
        switch self {
        case .flat(let amount):
            return amount
        case .quotient(let brackets):
            guard let qf else { return brackets.last!.price }
            return brackets.first { $0.upTo.map { qf <= $0 } ?? true }!.price
        }
    }
}

public enum PriceRuleError: Error, Equatable {
    case noBracket
    case lastBracketBounded
    case unboundedBracketNotLast
    case boundsNotIncreasing
    case negativePrice
    case priceTooLarge
    case quotientTooLarge

    public var message: String {
        switch self {
        case .noBracket: tr("PriceRule.indiquez_au_moins_une_tranche")
        case .lastBracketBounded: tr("PriceRule.la_derniere_tranche_doit_etre")
        case .unboundedBracketNotLast: tr("PriceRule.seule_la_derniere_tranche_peut")
        case .boundsNotIncreasing: tr("PriceRule.les_limites_des_tranches_doivent")
        case .negativePrice: tr("PriceRule.un_tarif_ne_peut_pas")
        case .priceTooLarge: tr("PriceRule.un_tarif_ne_peut_pas_2")
        case .quotientTooLarge: tr("PriceRule.une_limite_de_tranche_ne", PriceRule.largestQuotient)
        }
    }
}
