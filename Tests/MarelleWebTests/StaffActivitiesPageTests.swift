import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Staff pages for periods and activities")
struct StaffActivitiesPageTests {
    func signIn(_ client: WebClient, _ tenant: Tenant, role: Role) async throws -> [String: String] {
        let account = try await AccountFixtures.account(in: tenant, role: role)
        return [
            AccountFixtures.sessionCookie: try await AccountFixtures.sessionID(
                client, host: "\(tenant.slug).localhost", email: account.email)
        ]
    }

    func activityForm(periodID: Int, csrf: String, overrides: [String: String] = [:]) -> [String: String] {
        var form = [
            "_csrf": csrf, "name": "PS MATIN TOUS (7h30-8h30)", "startsAt": "07:30", "endsAt": "08:30", "levels": "PS",
            "capacity": "12",
            "weekdays": "1", "periods": String(periodID), "validationMode": "manual", "bookingDays": "1", "bookingTime": "10:00",
            "cancelDays": "1", "cancelTime": "10:00", "cancelWorking": "on", "priceFlat": "1,85",
        ]
        form.merge(overrides) { $1 }
        return form
    }

    @Test("the direction adds a period, then an activity, sees it listed and closes it")
    func journey() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let cookies = try await signIn(client, tenant, role: .direction)
            let page = try await client.get("/gestion/activites", host: host, cookies: cookies)
            #expect(page.status == .ok)
            let csrf = try #require(page.hiddenField("_csrf"))
            let added = try await client.post(
                "/gestion/periodes", host: host,
                form: [
                    "_csrf": csrf, "name": "Année scolaire 2026-2027", "kind": "school_year", "firstDay": "2026-09-01",
                    "lastDay": "2027-07-03", "opensDay": "2026-06-01", "closesDay": "2027-07-01",
                ], cookies: cookies)
            #expect(added.status == .ok)
            #expect(added.text.contains("La période est enregistrée."))
            #expect(added.text.contains("du 01/09/2026 au 03/07/2027"))
            let periodID = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try PeriodStore().list(tx).first!.id
            }
            let created = try await client.post(
                "/gestion/activites", host: host, form: activityForm(periodID: periodID, csrf: csrf), cookies: cookies)
            #expect(created.status == .seeOther)
            let list = try await client.get("/gestion/activites", host: host, cookies: cookies)
            #expect(list.text.contains("PS MATIN TOUS (7h30-8h30)"))
            #expect(list.text.contains("inscription la veille à 10h00"))
            let id = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
                try ActivityStore().list(tx).first!.id
            }
            let backwards = try await client.post(
                "/gestion/fermetures", host: host, form: ["_csrf": csrf, "firstDay": "2030-05-28", "lastDay": "2030-05-24"],
                cookies: cookies)
            #expect(backwards.status == .unprocessableContent)
            #expect(backwards.text.contains("La date de fin doit être postérieure"))
            let closure = try await client.post(
                "/gestion/fermetures", host: host,
                form: [
                    "_csrf": csrf, "activity": String(id), "firstDay": "2030-05-24", "lastDay": "2030-05-28",
                    "reason": "Sortie au zoo",
                ], cookies: cookies)
            #expect(closure.status == .ok)
            #expect(closure.text.contains("La fermeture est enregistrée."))
            #expect(closure.text.contains("du 24/05/2030 au 28/05/2030 · PS MATIN TOUS (7h30-8h30) · Sortie au zoo"))
            let closed = try await client.post(
                "/gestion/activites/\(id)/fermer", host: host, form: ["_csrf": csrf], cookies: cookies)
            #expect(closed.status == .seeOther)
            #expect(
                try await client.get("/gestion/activites", host: host, cookies: cookies).text.contains(
                    "Aucune activité pour le moment."))
        }
    }

    @Test(
        "a wrong form comes back with each message under its field and every value kept",
        arguments: [
            (["endsAt": "07:00"], "L&#39;heure de fin doit être après"),
            (["capacity": "0"], "au moins une place"),
            (["capacity": "-4"], "au moins une place"),
            (["priceFlat": "1,855"], "Un tarif est illisible"),
            (["bookingTime": "25:00"], "Indiquez le délai"),
        ])
    func invalid(overrides: [String: String], message: String) async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        let periodID = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try PeriodStore().create(
                tx, name: "Année", kind: .schoolYear,
                days: try DateRange(first: LocalDate(iso: "2026-09-01")!, last: LocalDate(iso: "2027-07-03")!),
                opensAt: Date(timeIntervalSince1970: 0), closesAt: Date(timeIntervalSince1970: 2_000_000_000)
            ).id
        }
        try await WebTestServer.with { client in
            let cookies = try await signIn(client, tenant, role: .direction)
            let page = try await client.get("/gestion/activites/nouvelle", host: host, cookies: cookies)
            let csrf = try #require(page.hiddenField("_csrf"))
            let response = try await client.post(
                "/gestion/activites", host: host, form: activityForm(periodID: periodID, csrf: csrf, overrides: overrides),
                cookies: cookies)
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("class=\"field-error\""))
            #expect(response.text.lowercased().contains(message.lowercased()))
            #expect(response.text.contains("value=\"PS MATIN TOUS (7h30-8h30)\""))
            #expect(response.text.contains("value=\"PS\" checked"))
        }
        let count = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try ActivityStore().list(tx).count
        }
        #expect(count == 0)
    }

    @Test("parents may not see the page; animateurs see it but cannot change anything")
    func access() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let parent = try await signIn(client, tenant, role: .parent)
            #expect(try await client.get("/gestion/activites", host: host, cookies: parent).status == .forbidden)
            let animateur = try await signIn(client, tenant, role: .animateur)
            let page = try await client.get("/gestion/activites", host: host, cookies: animateur)
            #expect(page.status == .ok)
            #expect(!page.text.contains("Nouvelle activité"))
            let csrf = try #require(page.hiddenField("_csrf"))
            #expect(
                try await client.post(
                    "/gestion/activites", host: host, form: activityForm(periodID: 1, csrf: csrf), cookies: animateur
                ).status == .forbidden)
            #expect(try await client.get("/gestion/activites", host: host).status == .seeOther)
        }
    }
}
