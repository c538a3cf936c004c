import Hummingbird
import Logging
import MarelleDatabase
import MarelleStore
import ServiceLifecycle

/// Builds the Hummingbird application: routes, middleware, and the pool as a service so that
/// SIGTERM drains requests and then closes the database connections.
public enum WebApplication {
    public static func router(runtime: Runtime, renderer: PageRenderer) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(development: runtime.configuration.development))
        HealthController(database: runtime.database).register(on: router)
        // Everything registered after this line belongs to a tenant.
        router.add(middleware: TenantMiddleware(registry: runtime.registry))
        HomeController(associations: runtime.associations, renderer: renderer).register(on: router)
        return router
    }

    public static func make(runtime: Runtime, logger: Logger) async throws -> some ApplicationProtocol {
        let renderer = try await PageRenderer()
        let app = Application(
            router: router(runtime: runtime, renderer: renderer),
            configuration: .init(
                address: .hostname(runtime.configuration.http.host, port: runtime.configuration.http.port),
                serverName: nil),
            services: [DatabaseService(database: runtime.database)],
            logger: logger)
        return app
    }
}

/// Keeps the pool open while the server runs and closes it on graceful shutdown.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await database.close()
    }
}
