import Foundation
import Testing

@testable import MarelleSEPA

@Suite struct Camt054Tests {
    static func notice(_ transactions: String) -> [UInt8] {
        Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
              <BkToCstmrDbtCdtNtfctn>
                <GrpHdr><MsgId>NOTICE-1</MsgId><CreDtTm>2027-03-09T08:00:00</CreDtTm></GrpHdr>
                <Ntfctn>
                  <Id>N1</Id>
                  <Ntry>
                    <Amt Ccy="EUR">82.55</Amt>
                    <CdtDbtInd>DBIT</CdtDbtInd>
                    <Sts><Cd>BOOK</Cd></Sts>
                    <BookgDt><Dt>2027-03-08</Dt></BookgDt>
                    <NtryDtls>\(transactions)</NtryDtls>
                  </Ntry>
                </Ntfctn>
              </BkToCstmrDbtCdtNtfctn>
            </Document>
            """.utf8)
    }

    static func returned(_ endToEnd: String, amount: String, reason: String) -> String {
        """
        <TxDtls>
          <Refs><EndToEndId>\(endToEnd)</EndToEndId><MndtId>RUM-1</MndtId></Refs>
          <Amt Ccy="EUR">\(amount)</Amt>
          <CdtDbtInd>DBIT</CdtDbtInd>
          <RtrInf><Rsn><Cd>\(reason)</Cd></Rsn><AddtlInf>Provision insuffisante</AddtlInf></RtrInf>
        </TxDtls>
        """
    }

    @Test func returnsAreReadWithTheirReasons() throws {
        let notice = Self.notice(
            Self.returned("F2027-000012-31", amount: "70.55", reason: "AM04")
                + Self.returned("F2027-000013-32", amount: "12", reason: "AC04")
                + "<TxDtls><Refs><EndToEndId>PAID-1</EndToEndId></Refs><Amt Ccy=\"EUR\">5.00</Amt></TxDtls>")
        let returns = try Camt054Reader.returns(in: notice)
        #expect(
            returns == [
                .init(endToEndID: "F2027-000012-31", amountCents: 7055, reason: "AM04", bookedOn: "2027-03-08"),
                .init(endToEndID: "F2027-000013-32", amountCents: 1200, reason: "AC04", bookedOn: "2027-03-08"),
            ])
    }

    @Test func somethingElseIsUnreadable() {
        for bad in [
            "", "not xml", "<Document><CstmrDrctDbtInitn/></Document>",
            "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document><BkToCstmrDbtCdtNtfctn>&x;</BkToCstmrDbtCdtNtfctn></Document>",
        ] {
            let result = try? Camt054Reader.returns(in: Array(bad.utf8))
            #expect(result == nil || result == [], "\(bad)")
        }
    }

    @Test func externalEntitiesAreNeverRead() throws {
        let notice =
            "<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><Document><BkToCstmrDbtCdtNtfctn><Ntry><TxDtls><Refs><EndToEndId>E&x;</EndToEndId></Refs><RtrInf><Rsn><Cd>AM04</Cd></Rsn></RtrInf></TxDtls></Ntry></BkToCstmrDbtCdtNtfctn></Document>"
        let returns = (try? Camt054Reader.returns(in: Array(notice.utf8))) ?? []
        let hostname =
            (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            ?? "∅"
        #expect(!returns.contains { $0.endToEndID.contains(hostname) })
    }

    @Test func amountsAreParsedStrictly() {
        #expect(Camt054Reader.cents("70.5") == 7050)
        #expect(Camt054Reader.cents("-1") == nil)
        #expect(Camt054Reader.cents("1.234") == nil)
        #expect(Camt054Reader.cents("x") == nil)
    }
}
