import Foundation
import MarelleCore
import MarelleDatabase
import MarelleTestSupport
import Testing

@Suite("Reads in one statement: each read's records come back with its own column names and values")
struct ReadsInOneStatementTests {
    struct Awkward: Equatable {
        let id: Int
        let text: String?
        let flag: Bool
        let day: LocalDate
        let words: [String]
    }

    @Test(
        "text with quotes, backslashes, commas, parentheses, braces, spaces, empty and NULL, arrays, dates and booleans survive, in order"
    )
    func awkward() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let database = Database(configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1))
        let texts = [#"say "hi", (ok) {x} \ back\\slash"#, "", "Éloïse « 👩‍👧 »", "  spaced  ", "NULL", "a\nb"]
        let awkward = Query<[Awkward]>.rows(
            """
            SELECT n AS id, CASE WHEN n = 0 THEN NULL ELSE (\(texts))[n::int] END AS text, n % 2 = 0 AS flag,
                   DATE '2027-02-01' + n::int AS day, ARRAY[(\(texts))[greatest(n::int, 1)], 'b,c'] AS words
            FROM generate_series(0, \(texts.count)) AS n ORDER BY n DESC
            """
        ) {
            Awkward(
                id: try $0.decode("id"), text: try $0.decode("text"), flag: try $0.decode("flag"), day: try $0.decode("day"),
                words: try $0.decode("words"))
        }
        let none = Query<[Int]>.rows("SELECT 1 AS n WHERE false") { try $0.decode("n") }
        let path = Query<String>("SELECT current_setting('search_path') AS p") { rows in try rows[0].decode("p") }
        // Twice on one connection: the second time the names come from the connection's cache.
        for _ in 0..<2 {
            let (rows, empty, p) = try await database.withTenant(try tenant.scope()) { s in try s.fetchInOne(awkward, none, path)
            }
            #expect(rows.map(\.id) == Array((0...texts.count).reversed()))
            for row in rows {
                #expect(row.text == (row.id == 0 || row.id > texts.count ? nil : texts[row.id - 1]), "\(row.id)")
                #expect(row.flag == (row.id % 2 == 0))
                #expect(row.day == LocalDate(year: 2027, month: 2, day: 1)!.adding(days: row.id))
                #expect(row.words.last == "b,c")
            }
            #expect(empty.isEmpty)
            #expect(p.contains(tenant.schemaName))
        }
        await database.close()
    }

    @Test("the reads see the tenant's tables, and an error in one of them rolls the transaction back")
    func tenantAndErrors() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let database = Database(configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1))
        let count = Query<Int>("SELECT count(*)::int AS n FROM audit_log") { rows in try rows[0].decode("n") }
        let broken = Query<Int>("SELECT 1/0 AS x") { rows in try rows[0].decode(0) }
        let error = await #expect(throws: DatabaseError.self) {
            try await database.withTenant(try tenant.scope()) { s in
                try s.execute("INSERT INTO audit_log (actor_kind, action) VALUES ('system', 'in-one')")
                return try s.fetchInOne(count, broken)
            }
        }
        #expect(error?.sqlState == "22012")
        let (kept, _) = try await database.withTenant(try tenant.scope()) { s in try s.fetchInOne(count, count) }
        #expect(kept == 0)
        await database.close()
    }
}
