import Hummingbird
import MarelleApp
import MarelleAuth
import Metrics
import Prometheus

/// `/metrics` in Prometheus text format, on its own listener (`metrics.host`/`metrics.port`),
/// never on a tenant's host: requests by route and status and their latency histogram (from
/// Hummingbird's MetricsMiddleware), the database pool, the Argon2 queue, the outbox backlog
/// and the bookings submitted per tenant. The gauges of the pool and the hasher are read
/// when Prometheus asks.
public enum MetricsEndpoint {
    /// swift-metrics takes one backend per process for its whole life: the first runtime of
    /// the process installs it (tests make many runtimes).
    static let registry: PrometheusCollectorRegistry = {
        let factory = PrometheusMetricsFactory()
        MetricsSystem.bootstrap(factory)
        return factory.registry
    }()

    public static func bootstrap() {
        _ = registry
    }

    public static func router(runtime: Runtime) -> Router<BasicRequestContext> {
        let router = Router()
        let hasher = runtime.hasher
        router.get("/metrics") { _, _ -> Response in
            let pool = await runtime.poolFigures()
            Gauge(label: "marelle_db_pool_open").record(pool.open)
            Gauge(label: "marelle_db_pool_in_use").record(pool.inUse)
            Gauge(label: "marelle_db_pool_waiting").record(pool.waiting)
            Gauge(label: "marelle_db_pool_size").record(pool.size)
            Gauge(label: "marelle_argon2_in_flight").record(hasher.load)
            Gauge(label: "marelle_argon2_capacity").record(hasher.threads + hasher.queueLimit)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
        return router
    }
}
