import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Data rights: the family export and the erasure")
struct ExportEraseTests {
    /// A family with a full file, a consent, two documents and a staff decision.
    static func fullFamily(_ client: WebClient) async throws -> (SignedInFamily, [UInt8]) {
        let family = try await SignedInFamily.make(client)
        #expect(
            try await family.post(client, "/mon-compte/enfants/\(family.childID)", FamilyFileTests.childForm()).status
                == .seeOther)
        let photo = Multipart.png + (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        for (name, bytes) in [("assurance.pdf", Multipart.pdf), ("photo.png", photo)] {
            #expect(
                try await Multipart.post(
                    client, "/documents", host: family.host, cookies: family.cookies,
                    fields: ["_csrf": family.csrf, "kind": "insurance"], fileName: name, bytes: bytes
                ).status == .seeOther)
        }
        return (family, photo)
    }

    @Test("the export holds every field of the file and the documents byte for byte")
    func export() async throws {
        try await WebTestServer.with { client in
            let (family, photo) = try await Self.fullFamily(client)
            let response = try await family.get(client, "/mon-compte/export")
            #expect(response.status == .ok && response.headers[.contentType] == "application/zip")
            #expect(response.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            let entries = ZipReader.entries(try #require(response.body.map { Array($0.readableBytesView) }))
            let json = try #require(entries["famille.json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
            let child = try #require((object["children"] as? [[String: Any]])?.first)
            for column in [
                "first_name", "last_name", "birth_date", "sex", "school", "level", "allergies", "diet", "has_pai", "doctor",
                "vaccinations_up_to_date", "vaccination_notes", "photo_consent", "may_leave_alone",
            ] {
                #expect(child[column] != nil, "missing \(column)")
            }
            #expect(child["allergies"] as? String == "Arachide, kiwi")
            #expect((child["pickupPersons"] as? [[String: Any]])?.first?["name"] as? String == "Jeanne Test")
            #expect((object["consents"] as? [[String: Any]])?.count == 1)
            #expect((object["accounts"] as? [[String: Any]])?.first?["email"] as? String == family.account.email)
            #expect((object["accounts"] as? [[String: Any]])?.first?["password_hash"] == nil)
            let documents = try #require(object["documents"] as? [[String: Any]])
            #expect(documents.count == 2 && documents.allSatisfy { $0["content"] == nil && $0["sha256"] != nil })
            let stored = try await DocumentUploadTests.stored(family)
            let pdf = try #require(stored.first { $0.fileName == "assurance.pdf" }),
                png = try #require(stored.first { $0.fileName == "photo.png" })
            #expect(entries["documents/\(pdf.id)-assurance.pdf"] == Multipart.pdf)
            #expect(entries["documents/\(png.id)-photo.png"] == photo)
            // Over the API too, for the family only.
            let token = try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: family.account.id).token }
            #expect(try await client.json(.get, "/api/v1/family/export", host: family.host, token: token).status == .ok)
        }
    }

    @Test("after erase, no row of the tenant schema references the family, and the CLI says what it removed")
    func erase() async throws {
        try await WebTestServer.with { client in
            let (family, _) = try await Self.fullFamily(client)
            let neighbour = try await SignedInFamily.make(client, tenant: family.tenant)
            let runtime = try await TestEnvironment.runtime()
            // A booking that holds the only place, and the neighbours waiting for it.
            let (_, activity, _) = try await BookingFixtures.activity(client, family.tenant, capacity: 1)
            let day = BookingFixtures.day(after: 14)
            for f in [family, neighbour] {
                let token = try await f.inTenant { tx in
                    _ = try BasketStore().addBookings(tx, familyID: f.familyID, lines: [(f.childID, activity, day)])
                    return try ApiTokenStore().issue(tx, accountID: f.account.id).token
                }
                #expect(
                    try await client.json(.post, "/api/v1/basket/submit", host: f.host, body: "{}", token: token).status
                        == .created)
            }
            let result = try await Shell.run(
                CommandLineTests.binary,
                ["family", "erase", "--tenant", family.tenant.slug, "--family", String(family.familyID), "--yes"],
                environment: [
                    "MARELLE_DATABASE_URL": TestEnvironment.conninfo, "MARELLE_PATHS_SQL": TestEnvironment.repoRoot + "/sql",
                    "MARELLE_LOG_LEVEL": "error",
                ])
            #expect(result.status == 0, "\(result.errors)")
            #expect(
                result.output.contains("children: 1") && result.output.contains("documents: 2")
                    && result.output.contains("accounts: 1"))
            let again = try await Shell.run(
                CommandLineTests.binary,
                ["family", "erase", "--tenant", family.tenant.slug, "--family", String(family.familyID), "--yes"],
                environment: [
                    "MARELLE_DATABASE_URL": TestEnvironment.conninfo, "MARELLE_PATHS_SQL": TestEnvironment.repoRoot + "/sql",
                ])
            #expect(again.status != 0 && again.errors.contains("no family"))
            // Every column that can point at the family, its children, guardians, accounts or documents.
            let leftovers = try await runtime.database.withTenant(try family.tenant.scope()) { tx -> [String] in
                var found: [String] = []
                let columns = try tx.query(
                    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name IN ('family_id', 'account_id', 'child_id')"
                )
                for column in columns {
                    let table: String = try column.decode("table_name"), name: String = try column.decode("column_name")
                    let id = name == "family_id" ? family.familyID : (name == "child_id" ? family.childID : family.account.id)
                    let count: Int = try tx.queryOne(
                        "SELECT count(*)::int AS n FROM \(identifier: table) WHERE \(identifier: name) = \(id)"
                    ).decode("n")
                    if count > 0 { found.append("\(table).\(name)") }
                }
                let audit: Int = try tx.queryOne(
                    "SELECT count(*)::int AS n FROM audit_log WHERE subject IN (\("family:\(family.familyID)"), \("child:\(family.childID)"), \(family.account.email)) OR (actor_kind = 'parent' AND actor_id = \(family.account.id))"
                ).decode("n")
                if audit > 0 { found.append("audit_log") }
                let mails: Int = try tx.queryOne(
                    "SELECT count(*)::int AS n FROM outbox WHERE to_address = \(family.account.email)"
                ).decode("n")
                if mails > 0 { found.append("outbox") }
                return found
            }
            #expect(leftovers.isEmpty, "still referenced in \(leftovers)")
            // The booking stays for the accounts, anonymised; its place went to the neighbours.
            let (anonymised, neighbourStatus, invariant) = try await neighbour.inTenant { tx in
                (
                    try tx.queryOne(
                        "SELECT count(*)::int AS n FROM bookings WHERE family_id IS NULL AND child_id IS NULL AND status = 'cancelled'"
                    ).decode("n", as: Int.self),
                    try tx.queryOne("SELECT status FROM bookings WHERE family_id = \(neighbour.familyID)").decode(
                        "status", as: String.self),
                    try BookingDecisions().invariant(tx, activityID: activity, day: day)
                )
            }
            #expect(anonymised == 1 && neighbourStatus == "requested" && invariant.held == 1 && invariant.holding == 1)
            // The neighbours keep everything, and can still sign in.
            #expect(try await neighbour.get(client, "/mon-compte").text.contains("Léa Test"))
            #expect(try await family.get(client, "/mon-compte").status == .seeOther)
        }
    }
}
