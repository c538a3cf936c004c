import Foundation
import MarelleCore
import MarelleDatabase
import MarelleTestSupport
import Testing

@Suite("Reads in one round trip, and cells decoded from their bytes")
struct BatchedReadsTests {
    @Test("independent queries sent together come back each to its own decoder, after BEGIN and the tenant's settings")
    func batched() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let database = Database(configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1))
        let numbers = Query<[Int]>.rows("SELECT generate_series(1, 3) AS n") { try $0.decode(0) }
        let words = Query<String?>("SELECT 'un' AS w WHERE false") { rows in try rows.first?.decode(0) }
        let path = Query<String>("SELECT current_setting('search_path') AS p") { rows in try rows[0].decode(0) }
        let (n, w, p) = try await database.withTenant(try tenant.scope()) { s in try s.fetch(numbers, words, path) }
        #expect(n == [1, 2, 3] && w == nil)
        #expect(p.contains(tenant.schemaName))
        await database.close()
    }

    @Test("an error in one query of a batch throws it, rolls the transaction back and leaves the connection serving")
    func failing() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let database = Database(configuration: PoolConfiguration(conninfo: TestEnvironment.conninfo, maxConnections: 1))
        let write = Query<Int>("INSERT INTO audit_log (actor_kind, action) VALUES ('system', 'batched') RETURNING id") { rows in
            try rows[0].decode(0)
        }
        let broken = Query<Int>("SELECT 1/0 AS x") { rows in try rows[0].decode(0) }
        let error = await #expect(throws: DatabaseError.self) {
            try await database.withTenant(try tenant.scope()) { s in try s.fetch(write, broken) }
        }
        #expect(error?.sqlState == "22012")
        let kept = try await database.withTenant(try tenant.scope()) { s in
            try s.queryOne("SELECT count(*)::int AS n FROM audit_log WHERE action = 'batched'").decode("n", as: Int.self)
        }
        #expect(kept == 0)
        await database.close()
    }

    @Test("numbers, booleans, dates, instants, text and NULL decode from the cell's bytes as from its text")
    func cells() async throws {
        let database = try await TestEnvironment.runtime().database
        let row = try await database.withConnection { s in
            try s.queryOne(
                """
                SELECT 0 AS zero, -42 AS negative, 9223372036854775807::bigint AS largest, '-9223372036854775808'::bigint AS smallest,
                       true AS yes, false AS no, DATE '2027-02-28' AS day, TIMESTAMPTZ '2026-12-02 10:00:00.25+00' AS at,
                       'Éloïse « 👩‍👧 »' AS name, '' AS empty, NULL::int AS nothing, 12.5::float8 AS ratio
                """)
        }
        #expect(try row.decode("zero", as: Int.self) == 0)
        #expect(try row.decode("negative", as: Int.self) == -42)
        #expect(try row.decode("largest", as: Int.self) == Int.max)
        #expect(try row.decode("smallest", as: Int.self) == Int.min)
        #expect(try row.decode("yes", as: Bool.self) && !(try row.decode("no", as: Bool.self)))
        #expect(try row.decode("day", as: LocalDate.self) == LocalDate(year: 2027, month: 2, day: 28))
        #expect(try row.decode("at", as: Date.self) == Date(timeIntervalSince1970: 1_796_205_600.25))
        #expect(try row.decode("name", as: String.self) == "Éloïse « 👩‍👧 »")
        #expect(try row.decode("empty", as: String.self) == "")
        #expect(try row.decode("nothing", as: Int?.self) == nil)
        #expect(try row.decode("ratio", as: Double.self) == 12.5)
        #expect(throws: RowDecodingError.self) { try row.decode("nothing", as: Int.self) }
        #expect(throws: RowDecodingError.self) { try row.decode("name", as: Int.self) }
        #expect(throws: RowDecodingError.self) { try row.decode("name", as: Bool.self) }
    }
}
