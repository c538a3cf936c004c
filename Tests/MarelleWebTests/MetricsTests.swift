import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MarelleStore
import MarelleTestSupport
import MarelleWeb
import Testing

@Suite("Metrics: Prometheus text on its own listener, never on a tenant's host")
struct MetricsTests {
    @Test("requests by route and status, latency, pool, Argon2 queue, outbox backlog and bookings per tenant")
    func metrics() async throws {
        let runtime = try await TestEnvironment.runtime()
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            #expect(try await client.get("/static/marelle.css", host: host).status == .ok)
            // A tenant's host has no /metrics: the numbers of every association are not theirs to read.
            #expect(try await client.get("/metrics", host: host).status == .notFound)
            let (_, activity, _) = try await BookingFixtures.activity(client, tenant, capacity: 5)
            let family = try #require(try await BookingFixtures.families(tenant, count: 1).first)
            let body =
                #"{"lines":[{"childId":\#(family.childID),"activityId":\#(activity),"days":["\#(BookingFixtures.day(after: 14).iso)","\#(BookingFixtures.day(after: 21).iso)"]}]}"#
            #expect(
                try await client.json(.post, "/api/v1/basket/submit", host: host, body: body, token: family.token).status
                    == .created)
        }
        var logger = Logger(label: "metrics-test")
        logger.logLevel = .warning
        _ = try await runtime.mailWorker(logger: logger).deliverDue(for: tenant)
        let app = Application(router: MetricsEndpoint.router(runtime: runtime))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"http_route="/static/marelle.css""#))
                #expect(text.contains("http_server_request_duration_bucket"))
                #expect(text.contains(#"http_response_status_code="201""#))
                for gauge in ["marelle_db_pool_in_use", "marelle_db_pool_waiting", "marelle_argon2_in_flight"] {
                    #expect(text.contains(gauge), "\(gauge) missing")
                }
                #expect(text.contains(#"marelle_bookings_submitted{tenant="\#(tenant.slug)"} 2"#))
                #expect(text.contains(#"marelle_outbox_backlog{tenant="\#(tenant.slug)"}"#))
            }
        }
    }
}
