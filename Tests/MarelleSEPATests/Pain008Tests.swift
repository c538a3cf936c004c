import Foundation
import Testing

@testable import MarelleSEPA

/// The direct-debit file for three mandates, in both versions: the same bytes as the golden
/// files, valid against the shipped ISO 20022 schemas (libxml2 in process, and `xmllint
/// --schema` as a bank's tools would check it), and refused before any XML when an IBAN is bad.
@Suite struct Pain008Tests {
    static let creditor = DirectDebitFile.Creditor(
        name: "Les P'tits Loups & Cie", iban: "FR7630006000011234567890189", bic: "AGRIFRPP", identifier: "FR72ZZZ123456")

    static let threeMandates = DirectDebitFile(
        messageID: "MARELLE-LOT-7", createdAt: "2027-02-20T10:15:00", collectionDate: "2027-03-05", creditor: creditor,
        transactions: [
            .init(
                endToEndID: "F2027-000012-31", amountCents: 7055, mandateReference: "LESPTITSLOUPS-M000001",
                signedOn: "2027-01-04", sequence: .first, debtorName: "Élodie Müller", iban: "DE89370400440532013000",
                bic: "COBADEFFXXX", remittance: "Facture F2027-000012 février 2027"),
            .init(
                endToEndID: "F2027-000013-32", amountCents: 1200, mandateReference: "RUM-PAPIER-0042",
                signedOn: "2026-09-01", sequence: .recurring, debtorName: "Famille N'Diaye", iban: "FR7630006000011234567890189",
                bic: "BNPAFRPP", remittance: "Facture F2027-000013 février 2027"),
            .init(
                endToEndID: "F2027-000014-33", amountCents: 99, mandateReference: "LESPTITSLOUPS-M000003",
                signedOn: "2027-02-01", sequence: .first, debtorName: "Chloé Lefèvre-Dupont", iban: "BE68539007547034",
                bic: "GEBABEBB", remittance: "Facture F2027-000014 février 2027"),
        ])

    static func golden(_ version: DirectDebitFile.Version) throws -> String {
        let url = try #require(Bundle.module.url(forResource: version.rawValue, withExtension: "xml", subdirectory: "Golden"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test(arguments: DirectDebitFile.Version.allCases)
    func threeMandatesGiveTheGoldenFile(version: DirectDebitFile.Version) throws {
        #expect(Pain008.problems(Self.threeMandates).isEmpty)
        let xml = Pain008.xml(Self.threeMandates, version: version)
        // MARELLE_RECORD_GOLDEN=1 rewrites the golden file (then read the diff before committing).
        if ProcessInfo.processInfo.environment["MARELLE_RECORD_GOLDEN"] != nil {
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            try xml.write(to: source.appendingPathComponent("Golden/\(version.rawValue).xml"), atomically: true, encoding: .utf8)
        }
        #expect(xml == (try Self.golden(version)))
        try SchemaValidator.validate(xml, version: version)
        #expect(xml.contains("<CtrlSum>83.54</CtrlSum>"))
        #expect(xml.contains("<Nm>Elodie Muller</Nm>"))
        #expect(xml.contains(version == .v08 ? "<BICFI>COBADEFFXXX</BICFI>" : "<BIC>COBADEFFXXX</BIC>"))
    }

    @Test(arguments: DirectDebitFile.Version.allCases)
    func xmllintAcceptsTheGoldenFileWithTheShippedSchema(version: DirectDebitFile.Version) throws {
        let schema = try #require(SchemaValidator.schemaPath(version))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("marelle-\(UUID().uuidString).xml")
        try Pain008.xml(Self.threeMandates, version: version).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout", "--nonet", "--schema", schema, file.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(said)")
        #expect(said.contains("validates"))
    }

    @Test func aBadIBANIsNamedBeforeAnyXML() {
        var file = Self.threeMandates
        file.transactions[1].iban = "FR7630006000011234567890188"
        file.transactions[2].bic = "GEBA"
        #expect(
            Pain008.problems(file) == [
                .iban(endToEndID: "F2027-000013-32", debtor: "Famille N'Diaye"),
                .bic(endToEndID: "F2027-000014-33", debtor: "Chloé Lefèvre-Dupont"),
            ])
    }

    @Test func theSchemaRefusesWhatTheChecksCannotSee() throws {
        // A well-formed IBAN shape is the schema's business too: lowercase is refused.
        let broken = Pain008.xml(Self.threeMandates, version: .v08).replacingOccurrences(
            of: "<IBAN>BE68539007547034</IBAN>", with: "<IBAN>be68539007547034</IBAN>")
        #expect {
            try SchemaValidator.validate(broken, version: .v08)
        } throws: { error in
            guard let failure = error as? SchemaValidator.Failure else { return false }
            return failure.messages.contains { $0.contains("IBAN") }
        }
        #expect(throws: SchemaValidator.Failure.self) { try SchemaValidator.validate("<Document>", version: .v02) }
    }

    @Test func amountsAreWrittenWithTwoDecimals() {
        #expect(Pain008.decimal(7055) == "70.55")
        #expect(Pain008.decimal(99) == "0.99")
        #expect(Pain008.decimal(1200) == "12.00")
    }
}
