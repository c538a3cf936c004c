import MarelleCore
import Testing

@Suite("Family file rules: phones, file types, names, CSV and ZIP")
struct FamilyRulesTests {
    @Test(
        "French phone numbers read as people type them",
        arguments: [
            ("06 12 34 56 78", "06 12 34 56 78"), ("06.12.34.56.78", "06 12 34 56 78"), ("+33 6 12 34 56 78", "06 12 34 56 78"),
            ("0033612345678", "06 12 34 56 78"), ("0478000000", "04 78 00 00 00"),
        ])
    func phones(raw: String, expected: String) {
        #expect(PhoneNumber(raw)?.description == expected)
    }

    @Test(
        "malformed phone numbers are refused",
        arguments: ["12", "0612345", "06123456789", "00 12 34 56 78", "06-AB-34-56-78", ""])
    func badPhones(raw: String) {
        #expect(PhoneNumber(raw) == nil)
    }

    @Test("file types come from the first bytes only")
    func sniffing() {
        #expect(FileType(sniffing: Array("%PDF-1.7".utf8)) == .pdf)
        #expect(FileType(sniffing: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(FileType(sniffing: Array("GIF89a".utf8)) == .gif)
        #expect(FileType(sniffing: [0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(FileType(sniffing: Array("<!DOCTYPE html>".utf8)) == nil)
        #expect(FileType(sniffing: Array("MZ\u{90}".utf8)) == nil)
        #expect(FileType(sniffing: [UInt8]()) == nil)
        #expect(FileType(sniffing: Array("%PD".utf8)) == nil)
    }

    @Test("Content-Disposition keeps an ASCII fallback and the UTF-8 name")
    func disposition() {
        #expect(
            FileName.contentDisposition("Relevé été.pdf")
                == "attachment; filename=\"Relev_ _t_.pdf\"; filename*=UTF-8''Relev%C3%A9%20%C3%A9t%C3%A9.pdf")
    }

    @Test("a child's birth date may not be in the future nor absurdly old")
    func birthDates() {
        var child = ChildDraft()
        (child.firstName, child.lastName) = ("Léa", "Martin")
        let today = LocalDate(iso: "2026-11-26")!
        child.birthDate = LocalDate(iso: "2026-11-27")
        #expect(child.problems(today: today).map(\.field) == ["birthDate"])
        child.birthDate = LocalDate(iso: "1990-01-01")
        #expect(child.problems(today: today).map(\.field) == ["birthDate"])
        child.birthDate = today
        #expect(child.problems(today: today).isEmpty)
    }

    @Test("CSV: semicolons, quotes, doubled quotes, line breaks in fields, CRLF and a BOM")
    func csv() throws {
        let table = try CSVTable(parsing: "\u{FEFF}a;b;c\r\n1;\"x;y\";\"dit \"\"bonjour\"\"\"\r\n2;\"deux\nlignes\";\r\n\r\n")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.records.map(\.line) == [2, 3])
        #expect(table.records[0].fields == ["1", "x;y", "dit \"bonjour\""])
        #expect(table.records[1].fields == ["2", "deux\nlignes", ""])
        #expect(throws: CSVTable.Failure.unterminatedQuote(line: 2)) { try CSVTable(parsing: "a,b\n1,\"open\n") }
        #expect(throws: CSVTable.Failure.empty) { try CSVTable(parsing: "\n\n") }
    }

    @Test("ZIP: the CRC-32 check value and a readable stored entry")
    func zip() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        var archive = ZipArchive(date: LocalDate(iso: "2026-11-26")!, hour: 10, minute: 30)
        archive.add("famille.json", Array("{}".utf8))
        let bytes = archive.bytes()
        #expect(bytes.prefix(4) == [0x50, 0x4B, 0x03, 0x04])
        #expect(bytes.suffix(22).prefix(4) == [0x50, 0x4B, 0x05, 0x06])
        #expect(bytes.count == 30 + 12 + 2 + 46 + 12 + 22)
    }
}
