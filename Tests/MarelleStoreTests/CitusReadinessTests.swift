import MarelleDatabase
import MarelleTestSupport
import Testing

@Suite("Citus readiness of the tenant migrations")
struct CitusReadinessTests {
    @Test("nothing in sql/tenant is refused by Citus schema-based sharding")
    func tenantMigrations() throws {
        let problems = try CitusReadiness.problems(directory: TestEnvironment.repoRoot + "/sql/tenant")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(
        "each construct Citus refuses is caught; the same words in comments and strings are not",
        arguments: [
            ("CREATE TABLE x (id int REFERENCES marelle.tenants (id));", true),
            ("CREATE TABLE x (id int REFERENCES other_schema.families (id));", true),
            ("CREATE TABLE y () INHERITS (x);", true),
            ("ALTER TABLE x SET SCHEMA elsewhere;", true),
            ("CREATE SCHEMA s CREATE TABLE t (id int);", true),
            ("SELECT * FROM public.things;", true),
            ("SET search_path = public;", true),
            ("-- marelle.tenants is named in a comment only\nCREATE TABLE x (note text DEFAULT 'see public.things');", false),
            ("CREATE TABLE x (id int REFERENCES families (id));", false),
        ])
    func detection(sql: String, refused: Bool) {
        #expect(CitusReadiness.problems(in: sql, file: "t.sql").isEmpty != refused)
    }
}
