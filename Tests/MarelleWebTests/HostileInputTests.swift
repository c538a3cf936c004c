import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import Testing

/// What a hostile client sends (issue: no input yields a 5xx): control characters in any
/// text, numbers past a column's range, ids that do not exist. Each is refused with a 4xx
/// that names the field, and nothing is stored. `WebTestServer` fails any test that saw a 5xx.
@Suite("Hostile input: control characters, numbers out of range, unknown ids")
struct HostileInputTests {
    /// The child's stored card, to check that a refusal changed nothing.
    func storedChild(_ family: SignedInFamily) async throws -> ChildDraft {
        try await family.inTenant { tx in
            try #require(try FamilyFileStore().child(tx, id: family.childID, familyID: family.familyID)).draft
        }
    }

    func apiToken(_ family: SignedInFamily) async throws -> String {
        try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: family.account.id).token }
    }

    static let childBody =
        #"{"firstName":"Léa","lastName":"Test","birthDate":"2020-03-14","level":"MS","hasPAI":false,"certified":true,"acceptsPrivacy":true"#

    @Test("a NUL in a child's allergies, on the page, is refused naming the field, and nothing is stored")
    func nulOnThePage() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let before = try await storedChild(family)
            let page = try await family.post(
                client, "/mon-compte/enfants/\(family.childID)",
                FamilyFileTests.childForm(["allergies": "Arachide\u{0}; DROP TABLE children"]))
            #expect(page.status == .unprocessableContent)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("allergies") && page.text.contains("caractère de contrôle"))
            let after = try await storedChild(family)
            #expect(after.allergies == before.allergies && after.school == before.school)
        }
    }

    @Test(
        "NUL, DEL and C1 controls in any text field of the API are a 422 naming the field; tab and line breaks are kept",
        arguments: [
            ("allergies", #""Arachide\u0000""#), ("school", #""École\u0000 Jean Macé""#), ("diet", "\"sans porc\u{7F}\""),
            ("doctor", #""Dr Morel\u0085""#), ("school", #""Jean Macé\u001b[31m""#),
        ])
    func controlsInTheAPI(field: String, value: String) async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let token = try await apiToken(family)
            let before = try await storedChild(family)
            let refused = try await client.json(
                .put, "/api/v1/family/children/\(family.childID)", host: family.host,
                body: Self.childBody + #","\#(field)":\#(value)}"#, token: token)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.headers[.contentType] == "application/problem+json")
            let errors = try #require(refused.jsonObject()?["errors"] as? [[String: Any]])
            #expect(errors.map { $0["field"] as? String } == [field])
            #expect(try await storedChild(family) == before)
            // The same card with a tab and a line break goes through.
            let saved = try await client.json(
                .put, "/api/v1/family/children/\(family.childID)", host: family.host,
                body: Self.childBody + #","diet":"sans porc\tni boeuf\r\nmerci"}"#, token: token)
            #expect(saved.status == .ok)
            #expect(try await storedChild(family).diet == "sans porc\tni boeuf\r\nmerci")
        }
    }

    @Test("a control character in a nested field or a key of a booking body is named by its path")
    func nestedPaths() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let token = try await apiToken(family)
            let nested = try await client.json(
                .post, "/api/v1/basket/submit", host: family.host,
                body: #"{"lines":[{"childId":1,"activityId":1,"days":["2027-01-04\u0000"]}]}"#, token: token)
            #expect(nested.status == .unprocessableContent)
            #expect((nested.jsonObject()?["errors"] as? [[String: Any]])?.first?["field"] as? String == "lines[0].days[0]")
            let login = try await client.json(
                .post, "/api/v1/auth/login", host: family.host, body: #"{"email":"a@b.fr","pass\u0000word":"x"}"#)
            #expect(login.status == .unprocessableContent)
            #expect((login.jsonObject()?["errors"] as? [[String: Any]])?.first?["field"] as? String == "password")
        }
    }

    @Test("a CSV import with a control character in a cell is refused with its line and column, and imports nothing")
    func csvCell() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let csv = """
            \(FamilyImportTests.header)
            Durand;Mme;Anne;Durand;anne@exemple.fr;;non;Lucas;Durand;12/05/2018;CP;gluten\u{0}
            Roux;M.;Paul;Roux;paul@exemple.fr;;non;;;;;

            """
        let failure = await #expect(throws: FamilyImport.Failure.self) {
            try await FamilyImport(runtime: try await TestEnvironment.runtime()).run(
                tenant: tenant, csv: csv, by: .operator("test"), today: LocalDate(iso: "2026-11-26")!)
        }
        #expect(failure?.lines == ["line 2: child_allergies: a control character (invisible, such as NUL) is not allowed"])
        let count = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try FamilyStore().list(tx).count
        }
        #expect(count == 0)
    }

    @Test("the database refuses a text bind holding NUL rather than cutting it, and says it is the client's fault")
    func nulBind() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let database = try await TestEnvironment.runtime().database
        let error = await #expect(throws: DatabaseError.self) {
            try await database.withTenant(try tenant.scope()) { tx in
                _ = try FamilyStore().create(tx, name: "Dur\u{0}and")
            }
        }
        #expect(error?.sqlState == "22021")
        #expect(error.flatMap { ClientFault($0) } == .invalid)
        // Nothing was written, and the pool's connections still work.
        let names = try await database.withTenant(try tenant.scope()) { tx in try FamilyStore().list(tx).map(\.name) }
        #expect(names.isEmpty)
    }

    @Test(
        "numbers past any sane value or past their column are a 422 naming the field, before SQL",
        arguments: [
            (#""minimumAge":3000000000,"#, "minimumAge", #""price":{"flatCents":185}"#),
            (#""maximumAge":121,"#, "minimumAge", #""price":{"flatCents":185}"#),
            ("", "price", #""price":{"flatCents":3000000000}"#),
            ("", "price", #""price":{"brackets":[{"upTo":500,"cents":100},{"cents":1099511627776}]}"#),
            ("", "price", #""price":{"brackets":[{"upTo":4000000000,"cents":100},{"cents":200}]}"#),
        ])
    func outOfRange(extra: String, field: String, price: String) async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let (token, periodID) = try await BookingFixtures.period(client, tenant)
            let response = try await client.json(
                .post, "/api/v1/activities", host: host,
                body: """
                    {"name":"GRAND","startsAt":"07:30","endsAt":"08:30","levels":[],"capacity":10,"weekdays":[1,2,3,4,5],\(extra)
                     "validationMode":"manual","bookingDeadline":{"daysBefore":1,"time":"10:00"},"cancellationDeadline":{"daysBefore":1,"time":"10:00"},
                     "periodIds":[\(periodID)],\(price)}
                    """, token: token)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            let errors = try #require(response.jsonObject()?["errors"] as? [[String: Any]])
            #expect(errors.contains { $0["field"] as? String == field }, "\(errors)")
            let count = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne("SELECT count(*)::int AS n FROM activities").decode("n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test("staff adding a child or a parent to a family that does not exist get a 404, and nothing is written")
    func unknownFamily() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let token = try await ActivityAPITests().token(client, tenant, role: .direction)
            let child = try await client.json(
                .post, "/api/v1/families/999999/children", host: host,
                body: #"{"firstName":"Léa","lastName":"Test","birthDate":"2020-03-14","level":"MS"}"#, token: token)
            #expect(child.status == .notFound)
            #expect(child.headers[.contentType] == "application/problem+json")
            let guardian = try await client.json(
                .post, "/api/v1/families/999999/guardians", host: host,
                body:
                    #"{"civility":"Mme","firstName":"Anne","lastName":"Roux","email":"anne.roux@exemple.fr","mobilePhone":"0612345678"}"#,
                token: token)
            #expect(guardian.status == .notFound)
            let written = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.queryOne("SELECT (SELECT count(*) FROM children)::int + (SELECT count(*) FROM guardians)::int AS n")
                    .decode("n", as: Int.self)
            }
            #expect(written == 0)
        }
    }

    @Test("staff cannot create a parent whose address only differs from an existing one by a look-alike letter")
    func lookalikeAddress() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let token = try await ActivityAPITests().token(client, tenant, role: .direction)
            let first = try await client.json(
                .post, "/api/v1/families", host: host, body: #"{"name":"Roux","parentEmail":"paul.roux@exemple.fr"}"#,
                token: token)
            #expect(first.status == .created)
            let twin = try await client.json(
                .post, "/api/v1/families", host: host, body: #"{"name":"Roux bis","parentEmail":"p\u0430ul.roux@exemple.fr"}"#,
                token: token)
            #expect(twin.status == .unprocessableContent)
            let errors = try #require(twin.jsonObject()?["errors"] as? [[String: Any]])
            #expect(errors.first?["field"] as? String == "parentEmail")
            #expect((errors.first?["message"] as? String)?.contains("paul.roux@exemple.fr") == true)
            let families = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try FamilyStore().list(tx).map(\.name)
            }
            #expect(families == ["Roux"])
        }
    }
}
