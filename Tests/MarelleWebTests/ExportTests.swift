import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

@Suite("Exports: CSV as French spreadsheets open it, amounts per family and month, the CAF hours")
struct ExportTests {
    static func csv(_ response: TestClient.Response) throws -> CSVTable {
        #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
        let bytes = Array((response.body ?? ByteBuffer()).readableBytesView)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 byte order mark")
        return try CSVTable(parsing: String(decoding: bytes, as: UTF8.self))
    }

    @Test("a name with ; quotes, a line break and a leading = comes back as typed (the formula neutralised)")
    func roundTrip() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            let (token, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 10, mode: "automatic")
            let families = try await BookingFixtures.families(tenant, count: 2)
            let day = AttendanceTests.pastMonday
            let hostile = "=HYPERLINK(\"x\";\"y\")\nDupont; \"Jo\""
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try tx.execute(
                    "UPDATE children SET last_name = \(hostile), first_name = '+Léa' WHERE id = \(families[0].childID)")
                try tx.execute("UPDATE families SET name = 'Martin; Durand' WHERE id = \(families[0].familyID)")
            }
            _ = try await AttendanceTests.book(tenant, families[0], activity: activity, day: day, status: "validated")
            _ = try await AttendanceTests.book(
                tenant, families[0], activity: activity, day: day.adding(days: 1), status: "validated")
            _ = try await AttendanceTests.book(tenant, families[1], activity: activity, day: day, status: "refused")
            let range = "from=\(day.adding(days: -1).iso)&to=\(day.adding(days: 3).iso)"
            let table = try Self.csv(
                try await client.json(.get, "/api/v1/exports/bookings.csv?\(range)", host: host, token: token))
            // CSVTable reads header names lowercased (the import matches them so).
            #expect(table.header.first == "n° réservation" && table.header.contains("tarif (€)"))
            #expect(table.records.count == 3)
            let first = try #require(table.records.first?.fields)
            #expect(first[1] == day.french)
            #expect(first[3] == "'" + hostile && first[4] == "'+Léa" && first[5] == "Martin; Durand")
            #expect(first[7] == "1,85")
            let amounts = try Self.csv(
                try await client.json(.get, "/api/v1/exports/amounts.csv?\(range)", host: host, token: token))
            // Validated bookings only: two of family 0 (the refused one of family 1 owes nothing).
            let months: Set<String> = Set([day, day.adding(days: 1)].map { String($0.french.dropFirst(3)) })
            let counted: Int = amounts.records.map { Int($0.fields[3]) ?? 0 }.reduce(0, +)
            #expect(counted == 2)
            let listed: Set<String> = Set(amounts.records.map { $0.fields[2] })
            #expect(listed == months)
            if months.count == 1 { #expect(amounts.records.first?.fields[4] == "3,70") }
            // JSON: the same rows.
            let json = try await client.json(.get, "/api/v1/exports/bookings?\(range)", host: host, token: token)
            let rows = try #require(
                (try? JSONSerialization.jsonObject(with: Data((json.body ?? ByteBuffer()).readableBytesView))) as? [[String: Any]]
            )
            #expect(rows.count == 3 && rows.first?["childLastName"] as? String == hostile)
            // The page's download, with the staff's session; refused to parents; bad ranges 422.
            let (cookies, _) = try await PrivacyAndReviewTests.staff(client, tenant, role: .animateur)
            let page = try await client.get("/gestion/exports", host: host, cookies: cookies)
            #expect(page.status == .ok && page.text.contains("Heures CAF"))
            let download = try await client.get("/gestion/exports/attendance.csv?\(range)", host: host, cookies: cookies)
            #expect(download.headers[.contentDisposition]?.contains("presences-") == true)
            #expect(try Self.csv(download).records.count == 2)
            let parent = try await client.json(.get, "/api/v1/exports/bookings.csv", host: host, token: families[0].token)
            #expect(parent.status == .forbidden)
            for bad in ["from=2026-02-30", "from=2026-09-10&to=2026-09-01", "from=2025-01-01&to=2026-06-01", "activity=x"] {
                let refused = try await client.json(.get, "/api/v1/exports/amounts?\(bad)", host: host, token: token)
                #expect(refused.status == .unprocessableContent, "\(bad)")
                let onPage = try await client.get("/gestion/exports/bookings.csv?\(bad)", host: host, cookies: cookies)
                #expect(onPage.status == .unprocessableContent && onPage.text.contains("Exports"), "\(bad)")
            }
            let badMonth = try await client.json(.get, "/api/v1/exports/caf-hours.csv?month=2026-13", host: host, token: token)
            #expect(badMonth.status == .unprocessableContent)
        }
    }

    @Test("the CAF hours of a fixture month match a hand count")
    func cafHours() async throws {
        try await WebTestServer.with { client in
            let tenant = try await TestEnvironment.makeTenant()
            let host = "\(tenant.slug).localhost"
            // The slot is 07:30–08:30: 60 minutes.
            let (token, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 10, mode: "automatic")
            let families = try await BookingFixtures.families(tenant, count: 2)
            let today = ParisClock.date(of: Date())
            let thisMonth = try #require(LocalDate(year: today.year, month: today.month, day: 1))
            let first = thisMonth.adding(days: -1).adding(days: 1 - thisMonth.adding(days: -1).day)
            var ids: [Int] = []
            for offset in 0..<5 {
                ids.append(
                    try await AttendanceTests.book(
                        tenant, families[0], activity: activity, day: first.adding(days: offset), status: "validated"))
            }
            let other = try await AttendanceTests.book(tenant, families[1], activity: activity, day: first, status: "validated")
            // A cancelled booking and a booking of the next month do not count.
            _ = try await AttendanceTests.book(
                tenant, families[1], activity: activity, day: first.adding(days: 1), status: "cancelled")
            _ = try await AttendanceTests.book(tenant, families[1], activity: activity, day: thisMonth, status: "validated")
            @Sendable func at(_ offset: Int, _ time: String) -> Date {
                ParisClock.instant(first.adding(days: offset), LocalTime(time)!)
            }
            let booked = ids
            try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                // Day 1: 07:10 to 08:30, twenty minutes before the slot: 80 minutes.
                try tx.execute(
                    "INSERT INTO attendance (booking_id, arrived_at, left_at, picked_up_by) VALUES (\(booked[0]), \(at(0, "07:10")), \(at(0, "08:30")), 'Papa')"
                )
                // Day 2: no tick: the slot, 60. Day 3: absent without notice: 0.
                try tx.execute("INSERT INTO attendance (booking_id, no_show) VALUES (\(booked[2]), true)")
                // Day 4: declared absent, not ticked: 0.
                try tx.execute(
                    "INSERT INTO absences (booking_id, family_id, reason) VALUES (\(booked[3]), \(families[0].familyID), 'Malade')"
                )
                // Day 5: 07:45 to 08:00, part of the slot: the whole slot, 60.
                try tx.execute(
                    "INSERT INTO attendance (booking_id, arrived_at, left_at, picked_up_by) VALUES (\(booked[4]), \(at(4, "07:45")), \(at(4, "08:00")), 'Papa')"
                )
                try tx.execute(
                    "UPDATE children SET birth_date = \(first.adding(days: -365 * 7)) WHERE id = \(families[1].childID)")
            }
            _ = other
            let table = try Self.csv(
                try await client.json(.get, "/api/v1/exports/caf-hours.csv?month=\(first.isoMonth)", host: host, token: token))
            #expect(
                table.header == [
                    "nom", "prénom", "date de naissance", "tranche d'âge", "famille", "n° allocataire caf", "activité",
                    "jours de présence", "heures",
                ])
            let byChild = Dictionary(uniqueKeysWithValues: table.records.map { ($0.fields[1], $0.fields) })
            // Child 0 (born 2021, under 6): 80 + 60 + 60 = 200 minutes on 3 days = 3,33 hours.
            #expect(byChild["Enfant0"]?[7] == "3" && byChild["Enfant0"]?[8] == "3,33")
            #expect(byChild["Enfant0"]?[3] == "moins de 6 ans")
            // Child 1 (seven years old): one day, no tick, the slot.
            #expect(byChild["Enfant1"]?[7] == "1" && byChild["Enfant1"]?[8] == "1,00")
            #expect(byChild["Enfant1"]?[3] == "6 ans et plus")
            #expect(table.records.count == 2)
        }
    }
}
