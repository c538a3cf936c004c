import Testing

@testable import MarelleSEPA

@Suite struct SEPAIdentifierTests {
    @Test func ibansOfSeveralCountriesPassTheirChecksum() throws {
        for text in [
            "FR76 3000 6000 0112 3456 7890 189", "DE89370400440532013000", "gb82 west 1234 5698 7654 32", "BE68539007547034",
        ] {
            let iban = try IBAN(text)
            #expect(!iban.value.contains(" "))
        }
        #expect(try IBAN("FR7630006000011234567890189").grouped == "FR76 3000 6000 0112 3456 7890 189")
        #expect(try IBAN("FR7630006000011234567890189").masked == "FR76 •••• 0189")
    }

    @Test func aWrongIBANSaysWhatIsWrong() {
        #expect(throws: IBAN.Problem.checksum) { try IBAN("FR7630006000011234567890188") }
        #expect(throws: IBAN.Problem.length(expected: 27)) { try IBAN("FR763000600001123456789018") }
        #expect(throws: IBAN.Problem.country) { try IBAN("US64SVBKUS6S3300958879") }
        #expect(throws: IBAN.Problem.characters) { try IBAN("FR76<script>") }
        #expect(throws: IBAN.Problem.empty) { try IBAN("  ") }
        #expect(throws: IBAN.Problem.characters) { try IBAN("FR76３０００6000011234567890189") }
    }

    @Test func bicsAreEightOrElevenCharacters() throws {
        #expect(try BIC("bnpa frpp").value == "BNPAFRPP")
        #expect(try BIC("BNPAFRPPXXX").country == "FR")
        for bad in ["BNPAFRP", "BNPA1RPP", "BNPAFRPPXX", "", "BNPAFRPP'X"] {
            #expect(throws: BIC.Invalid.self) { try BIC(bad) }
        }
    }

    @Test func creditorIdentifiersSkipTheBusinessCodeInTheirChecksum() throws {
        #expect(try CreditorIdentifier("FR72ZZZ123456").value == "FR72ZZZ123456")
        // The business code may change without changing the checksum.
        #expect(try CreditorIdentifier("FR72ABC123456").value == "FR72ABC123456")
        for bad in ["FR73ZZZ123456", "FR72ZZZ12345", "DE", "FR72ZZZ12345<"] {
            #expect(throws: CreditorIdentifier.Invalid.self) { try CreditorIdentifier(bad) }
        }
    }

    @Test func mandateReferencesKeepToTheSEPASet() throws {
        #expect(try MandateReference(" RUM-2027/01 ").value == "RUM-2027/01")
        for bad in ["", "/RUM", "RUM/", "RUM//1", "RUM_1", String(repeating: "A", count: 36), "RUMé"] {
            #expect(throws: MandateReference.Invalid.self) { try MandateReference(bad) }
        }
        #expect(MandateReference.generated(association: "Les P'tits Loups & Cie", number: 12).value == "LESPTITSLOUPSCIE-M000012")
        #expect(MandateReference.generated(association: "日本", number: 3).value == "MARELLE-M000003")
    }

    @Test func textIsFoldedToTheLatinSet() {
        #expect(SEPAText.latin("Müller & Fils — Œuvre", max: 70) == "Muller + Fils OEuvre")
        #expect(SEPAText.latin("Zoë <b>", max: 70) == "Zoe b")
        #expect(SEPAText.latin("abcdef", max: 3) == "abc")
    }
}
