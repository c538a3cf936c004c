import Foundation
import MarelleCore
import MarelleDatabase
import MarelleTestSupport
import Testing

@Suite("Values travel through libpq unchanged")
struct RoundTripTests {
    @Test(
        "text with quotes, SQL, emoji, backslashes and control characters comes back as sent",
        arguments: [
            "O'Brien", "\"double\"", "'; DROP TABLE marelle.tenants; --", "👩‍👧‍👦 Élodie", "back\\slash", "tab\tnew\nline",
            "", "   ", "$1", "\u{202E}rtl override",
        ])
    func text(value: String) async throws {
        let runtime = try await TestEnvironment.runtime()
        let back = try await runtime.database.withConnection { s in
            try s.queryOne("SELECT \(value)::text AS v, length(\(value)) AS n").decode("v", as: String.self)
        }
        #expect(back == value)
    }

    @Test("binary data with every byte value, NUL included, survives bytea")
    func bytea() async throws {
        let runtime = try await TestEnvironment.runtime()
        let bytes = ByteA((0...255).map { UInt8($0) } + [0, 0, 255])
        let row = try await runtime.database.withConnection { s in
            try s.queryOne("SELECT \(bytes) AS b, octet_length(\(bytes)) AS n")
        }
        #expect(try row.decode("b", as: ByteA.self) == bytes)
        #expect(try row.decode("n", as: Int.self) == 259)
    }

    @Test("numbers, booleans, uuids, dates, instants and JSON decode to their Swift types")
    func typed() async throws {
        let runtime = try await TestEnvironment.runtime()
        let id = UUID()
        let day = try #require(LocalDate(iso: "2027-02-15"))
        let instant = Date(timeIntervalSince1970: 1_795_000_000.123456)
        let row = try await runtime.database.withConnection { s in
            try s.queryOne(
                """
                SELECT \(Int.max) AS big, \(Int32.min) AS small, \(true) AS yes, \(false) AS no,
                       \(id) AS id, \(day) AS day, \(instant) AS at, \(JSONB(#"{"a": [1, "é"]}"#)) AS doc,
                       \(2.5) AS ratio, \(day) + 1 AS next_day
                """)
        }
        #expect(try row.decode("big", as: Int.self) == Int.max)
        #expect(try row.decode("small", as: Int32.self) == Int32.min)
        #expect(try row.decode("yes", as: Bool.self))
        #expect(try !row.decode("no", as: Bool.self))
        #expect(try row.decode("id", as: UUID.self) == id)
        #expect(try row.decode("day", as: LocalDate.self) == day)
        #expect(try row.decode("next_day", as: LocalDate.self).iso == "2027-02-16")
        let at = try row.decode("at", as: Date.self)
        #expect(abs(at.timeIntervalSince1970 - instant.timeIntervalSince1970) < 0.000_002)
        #expect(try row.decode("doc", as: JSONB.self).text == #"{"a": [1, "é"]}"#)
        #expect(try row.decode("ratio", as: Double.self) == 2.5)
    }

    @Test("arrays of ints and of awkward texts round-trip, and NULL becomes nil")
    func arraysAndNull() async throws {
        let runtime = try await TestEnvironment.runtime()
        let texts = ["a,b", "{braces}", "NULL", "quote\"d", "back\\slash", "", "é 🎒"]
        let none: String? = nil
        let row = try await runtime.database.withConnection { s in
            try s.queryOne(
                "SELECT \([1, -2, 3]) AS ints, \(texts) AS texts, \(none) AS missing, \([Int]()) AS empty, ARRAY[1,2]::int4[] AS small"
            )
        }
        #expect(try row.decode("ints", as: [Int].self) == [1, -2, 3])
        #expect(try row.decode("texts", as: [String].self) == texts)
        #expect(try row.decode("missing", as: String?.self) == nil)
        #expect(try row.decode("empty", as: [Int].self) == [])
        #expect(try row.decode("small", as: [Int32].self) == [1, 2])
        #expect(throws: RowDecodingError.unexpectedNull(column: "missing")) { try row.decode("missing", as: String.self) }
        #expect(throws: RowDecodingError.unknownColumn("nope")) { try row.decode("nope", as: String.self) }
    }

    @Test("a statement's description shows placeholders, never the bound values")
    func descriptionHidesValues() {
        let secret = "hunter2-password"
        let sql: SQL = "SELECT * FROM accounts WHERE email = \("a@b.fr") AND hash = \(secret)"
        #expect(sql.description == "SELECT * FROM accounts WHERE email = $1 AND hash = $2")
        #expect(sql.bindCount == 2)
    }
}
