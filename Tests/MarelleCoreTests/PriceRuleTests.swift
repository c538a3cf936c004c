import MarelleCore
import Testing

@Suite("Prices and money")
struct PriceRuleTests {
    let brackets = try! PriceRule.brackets([
        .init(upTo: 500, price: Money(cents: 100)), .init(upTo: 1000, price: Money(cents: 150)),
        .init(upTo: nil, price: Money(cents: 200)),
    ])

    @Test(
        "a quotient familial picks its bracket; bounds are inclusive; no QF pays the top bracket",
        arguments: [
            (0, 100), (500, 100), (501, 150), (1000, 150), (1001, 200), (99_999, 200),
        ])
    func bracket(qf: Int, cents: Int) {
        #expect(brackets.price(quotient: qf) == Money(cents: cents))
    }

    @Test("without a valid QF, the top bracket; a flat price ignores the QF")
    func unknownQuotient() {
        #expect(brackets.price(quotient: nil) == Money(cents: 200))
        #expect(PriceRule.flat(Money(cents: 185)).price(quotient: 300) == Money(cents: 185))
    }

    @Test(
        "malformed brackets are refused with a reason",
        arguments: [
            ([PriceRule.QuotientBracket](), PriceRuleError.noBracket),
            ([.init(upTo: 500, price: Money(cents: 100))], .lastBracketBounded),
            ([.init(upTo: nil, price: Money(cents: 100)), .init(upTo: nil, price: Money(cents: 200))], .unboundedBracketNotLast),
            (
                [
                    .init(upTo: 800, price: Money(cents: 100)), .init(upTo: 500, price: Money(cents: 150)),
                    .init(upTo: nil, price: Money(cents: 200)),
                ], .boundsNotIncreasing
            ),
            (
                [
                    .init(upTo: 500, price: Money(cents: 100)), .init(upTo: 500, price: Money(cents: 150)),
                    .init(upTo: nil, price: Money(cents: 200)),
                ], .boundsNotIncreasing
            ),
            ([.init(upTo: nil, price: Money(cents: -1))], .negativePrice),
        ])
    func refused(brackets: [PriceRule.QuotientBracket], error: PriceRuleError) {
        #expect(throws: error) { try PriceRule.brackets(brackets) }
        #expect(!error.message.isEmpty)
    }

    @Test(
        "amounts show as the reference portal shows them",
        arguments: [
            (185, "1,85 €"), (370, "3,70 €"), (5, "0,05 €"), (0, "0,00 €"), (100_000, "1000,00 €"), (-150, "-1,50 €"),
        ])
    func display(cents: Int, text: String) {
        #expect(Money(cents: cents).description == text)
    }

    @Test(
        "typed amounts parse exactly, with a comma or a dot",
        arguments: [
            ("1.85", 185), ("1,85", 185), ("2", 200), ("0,5", 50), (" 3.70 € ", 370), ("0", 0),
        ])
    func parse(text: String, cents: Int) {
        #expect(Money(parsing: text)?.cents == cents)
    }

    @Test("anything else does not parse", arguments: ["", "abc", "1.855", "-1", "1.2.3", ".5", "1e3", "99999999999999999999"])
    func parseRefused(text: String) {
        #expect(Money(parsing: text) == nil)
    }

    @Test("a total is the exact sum of its lines: 2 × 1,85 € = 3,70 €")
    func total() {
        #expect([Money(cents: 185), Money(cents: 185)].sum().description == "3,70 €")
    }
}
