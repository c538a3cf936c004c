import Hummingbird
import Logging
import MarelleApp
import MarelleDatabase
import MarelleStore
import ServiceLifecycle

/// Builds the Hummingbird application: routes, middleware, and the pool as a service so that
/// SIGTERM drains requests and then closes the database connections.
public enum WebApplication {
    public static func router(runtime: Runtime, renderer: PageRenderer) -> Router<AppRequestContext> {
        MetricsEndpoint.bootstrap()
        // HEAD answers wherever GET does, with the same headers and no body.
        let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestLogMiddleware())
        // Counted by route (the pattern, not the URL) and status, with the latency histogram.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(development: runtime.configuration.development))
        router.add(middleware: ErrorPolicyMiddleware(pages: ErrorPages(renderer: renderer)))
        router.add(middleware: UnavailableMiddleware())
        HealthController(availability: Availability(database: runtime.database)).register(on: router)
        // Everything registered after this line belongs to a tenant.
        router.add(middleware: TenantMiddleware(registry: runtime.registry))
        let database = runtime.database
        let auth = AuthService(database: database, hasher: runtime.hasher)
        let cookies = SessionCookie(development: runtime.configuration.development)
        let csrf = CSRFTokens(cookies: cookies)
        // The API first: bearer tokens only, so none of the cookie and form machinery below.
        let api = router.group("/api/v1")
        let authenticated = api.group().add(middleware: BearerMiddleware(authentication: Authentication(database: database)))
        AuthAPIController(database: database, auth: auth).register(public: api, authenticated: authenticated)
        if let openAPI = try? OpenAPIController() { openAPI.register(on: api) }
        ActivityAPIController(management: ActivityManagement(database: database)).register(on: authenticated)
        ClosureAPIController(management: ActivityManagement(database: database)).register(on: authenticated)
        CalendarAPIController(calendars: Calendars(database: database)).register(on: authenticated)
        let familyService = FamilyFileService(database: database)
        let documentService = DocumentService(database: database, mail: runtime.mail)
        let privacyService = PrivacyService(database: database, mail: runtime.mail)
        let export = FamilyExport(database: database)
        let familyAPI = FamilyAPIController(database: database, service: familyService, export: export, invitations: runtime.invitations)
        familyAPI.register(on: authenticated)
        let bookingService = BookingService(database: database, mail: runtime.mail)
        BookingAPIController(database: database, service: bookingService, family: familyAPI).register(on: authenticated)
        let absencePages = AbsencePages(database: database, renderer: renderer, csrf: csrf, documents: documentService)
        absencePages.registerAPI(on: authenticated, family: familyAPI)
        DocumentAPIController(database: database, service: documentService, family: familyAPI).register(on: authenticated)
        PrivacyAPIController(database: database, service: privacyService).register(on: authenticated)
        let contact = ContactService(database: database, associations: runtime.associations, mail: runtime.mail)
        let associationPages = AssociationPages(
            database: database, associations: runtime.associations, renderer: renderer, csrf: csrf,
            contact: contact)
        AssociationAPIController(pages: associationPages).register(on: authenticated)
        // Pages: same-origin checks on unsafe methods, then the browser session.
        router.add(middleware: OriginGuard<AppRequestContext>())
        router.add(middleware: SessionMiddleware(authentication: Authentication(database: database), cookies: cookies))
        HomeController(associations: runtime.associations, renderer: renderer).register(on: router)
        LoginController(database: database, auth: auth, renderer: renderer, cookies: cookies, csrf: csrf).register(on: router)
        let update = PasswordUpdate(policy: runtime.passwordPolicy, mail: runtime.mail)
        let passwords = Passwords(database: database, hasher: runtime.hasher, update: update, mail: runtime.mail)
        PasswordResetController(passwords: passwords, renderer: renderer, csrf: csrf).register(on: router)
        PasswordChangeController(passwords: passwords, renderer: renderer, csrf: csrf).register(on: router)
        StaffInvitationController(database: database, invitations: runtime.invitations, renderer: renderer, csrf: csrf)
            .register(on: router)
        StaffActivitiesController(management: ActivityManagement(database: database), renderer: renderer, csrf: csrf).register(on: router)
        FamilyFilePages(database: database, renderer: renderer, csrf: csrf, service: familyService).register(on: router)
        router.get("/mon-compte/export") { request, context in
            try await export.response(tenant: try context.requireTenant(), account: try context.requireAccount(request), ip: context.remoteIP)
        }
        DocumentPages(database: database, renderer: renderer, csrf: csrf, service: documentService).register(on: router)
        PrivacyPages(database: database, renderer: renderer, csrf: csrf, service: privacyService).register(on: router)
        StaffFamiliesController(database: database, renderer: renderer, csrf: csrf, invitations: runtime.invitations).register(on: router)
        associationPages.register(on: router)
        WizardPages(database: database, renderer: renderer, csrf: csrf).register(on: router)
        BasketPages(database: database, renderer: renderer, csrf: csrf, service: bookingService).register(on: router)
        StaffQueuePage(database: database, renderer: renderer, csrf: csrf, service: bookingService).register(on: router)
        absencePages.register(on: router)
        if runtime.configuration.development && runtime.configuration.mail.mode == "capture" {
            DevMailController(database: database, renderer: renderer).register(on: router)
        }
        return router
    }

    public static func make(runtime: Runtime, logger: Logger) async throws -> some ApplicationProtocol {
        let renderer = try await PageRenderer()
        var services: [any Service] = [DatabaseService(database: runtime.database)]
        if runtime.configuration.mail.deliver { services.append(runtime.mailWorker(logger: logger)) }
        if let port = runtime.configuration.metrics.port {
            services.append(Application(
                router: MetricsEndpoint.router(runtime: runtime),
                configuration: .init(address: .hostname(runtime.configuration.metrics.host, port: port), serverName: nil),
                logger: logger))
        }
        let app = Application(
            router: router(runtime: runtime, renderer: renderer),
            configuration: .init(
                address: .hostname(runtime.configuration.http.host, port: runtime.configuration.http.port),
                serverName: nil),
            services: services,
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
