import MarelleDatabase
import MarelleTestSupport
import Testing

@Suite("Errors and transactions")
struct ErrorAndTransactionTests {
    @Test("a server error keeps SQLSTATE and message, but its description hides the row values")
    func redacted() async throws {
        let runtime = try await TestEnvironment.runtime()
        let table = "redact_\(Int.random(in: 1...1_000_000_000))"
        let error = try await #require(throws: DatabaseError.self) {
            try await runtime.database.withTransaction { s in
                try s.execute("CREATE TEMP TABLE \(identifier: table) (email text UNIQUE)")
                try s.execute("INSERT INTO \(identifier: table) VALUES (\("secret@example.fr"))")
                try s.execute("INSERT INTO \(identifier: table) VALUES (\("secret@example.fr"))")
            }
        }
        #expect(error.sqlState == "23505")
        #expect(error.isUniqueViolation)
        #expect(error.kind == .server)
        #expect(!error.description.contains("secret@example.fr"))
        #expect(error.debugDetail.contains("secret@example.fr"))
    }

    @Test("a throwing body rolls back everything and its own error is the one rethrown")
    func rollback() async throws {
        let runtime = try await TestEnvironment.runtime()
        struct Boom: Error {}
        let table = "rollback_\(Int.random(in: 1...1_000_000_000))"
        try await runtime.database.withConnection { s in
            try s.execute("CREATE TABLE public.\(identifier: table) (n int)")
        }
        await #expect(throws: Boom.self) {
            try await runtime.database.withTransaction { s in
                try s.execute("INSERT INTO public.\(identifier: table) VALUES (1)")
                throw Boom()
            }
        }
        // A failing statement inside the body: the transaction is aborted, the error is the server's.
        let error = await #expect(throws: DatabaseError.self) {
            try await runtime.database.withTransaction { s in
                try s.execute("INSERT INTO public.\(identifier: table) VALUES (2)")
                try s.execute("SELECT 1/0")
            }
        }
        #expect(error?.sqlState == "22012")
        let count = try await runtime.database.withConnection { s in
            try s.queryOne("SELECT count(*) AS n FROM public.\(identifier: table)").decode("n", as: Int.self)
        }
        #expect(count == 0)
        try await runtime.database.withConnection { s in
            try s.execute("DROP TABLE public.\(identifier: table)")
        }
    }

    @Test("identifiers are quoted by libpq, so a hostile name stays one identifier")
    func identifierQuoting() async throws {
        let runtime = try await TestEnvironment.runtime()
        let quoted = try await runtime.database.withConnection { s in
            try s.quoteIdentifier(#"x"; DROP SCHEMA marelle; --"#)
        }
        #expect(quoted == #""x""; DROP SCHEMA marelle; --""#)
    }

    @Test("tenant scopes accept only generated schema and role names")
    func scopeValidation() throws {
        #expect(throws: DatabaseError.self) { try TenantScope(schema: "public", role: "mr_x_t_1") }
        #expect(throws: DatabaseError.self) { try TenantScope(schema: "t_1; drop", role: "mr_x_t_1") }
        #expect(throws: DatabaseError.self) { try TenantScope(schema: "t_1", role: "Robert\"") }
        #expect(throws: DatabaseError.self) { try TenantScope(schema: "t_", role: "mr_x_t_1") }
        #expect(try TenantScope(schema: "t_12", role: "mr_marelle_t_12").schema == "t_12")
    }
}
