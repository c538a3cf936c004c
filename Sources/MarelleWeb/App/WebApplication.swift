import Hummingbird
import Logging
import MarelleApp
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
        let cookies = SessionCookie(development: runtime.configuration.development)
        // Before the error pages, so that they too are in the reader's language.
        router.add(middleware: LanguageMiddleware(cookies: cookies))
        router.add(middleware: SecurityHeadersMiddleware(development: runtime.configuration.development))
        router.add(middleware: ErrorPolicyMiddleware(pages: ErrorPages(renderer: renderer)))
        router.add(middleware: UnavailableMiddleware())
        HealthController(availability: runtime.useCases.availability).register(on: router)
        // Everything registered after this line belongs to a tenant.
        router.add(middleware: TenantMiddleware(registry: runtime.registry))
        let database = runtime.database
        let useCases = runtime.useCases
        let auth = runtime.auth
        let csrf = CSRFTokens(cookies: cookies)
        // The API first: bearer tokens only, so none of the cookie and form machinery below.
        let api = router.group("/api/v1")
        let authenticated = api.group().add(middleware: BearerMiddleware(authentication: useCases.authentication))
        // Routes whose use case checks the token in its own transaction: one transaction each.
        let checkedInUseCase = api.group().add(
            middleware: BearerMiddleware(authentication: useCases.authentication, deferred: true))
        AuthAPIController(useCases: useCases, auth: auth).register(public: api, authenticated: authenticated)
        SecondFactorAPIController(secondFactors: runtime.secondFactors).register(on: authenticated)
        if let openAPI = try? OpenAPIController() { openAPI.register(on: api) }
        ActivityAPIController(management: useCases.activities).register(on: authenticated)
        ClosureAPIController(management: useCases.activities).register(on: authenticated)
        CalendarAPIController(calendars: useCases.calendars).register(on: checkedInUseCase)
        let familyService = FamilyFileService(database: database)
        let documentService = DocumentService(database: database, mail: runtime.mail)
        let privacyService = PrivacyService(database: database, mail: runtime.mail)
        let export = FamilyExport(useCases: useCases)
        let familyAPI = FamilyAPIController(
            useCases: useCases, service: familyService, export: export, invitations: runtime.invitations)
        familyAPI.register(on: authenticated)
        let bookingService = BookingService(
            database: database, mail: runtime.mail, decisionDigestSeconds: runtime.configuration.mail.decisionDigestSeconds)
        let bookingAPI = BookingAPIController(useCases: useCases, service: bookingService)
        bookingAPI.register(on: authenticated)
        bookingAPI.registerCheckingCaller(on: checkedInUseCase)
        let waitingLists = WaitingListPages(service: bookingService, renderer: renderer, csrf: csrf)
        waitingLists.registerAPI(on: authenticated)
        let staffFamilies = StaffFamiliesController(
            useCases: useCases, renderer: renderer, csrf: csrf, invitations: runtime.invitations)
        let staffBooking = StaffBookingController(service: bookingService, familyPages: staffFamilies)
        staffBooking.registerAPI(on: authenticated)
        let absencePages = AbsencePages(useCases: useCases, renderer: renderer, csrf: csrf, documents: documentService)
        absencePages.registerAPI(on: authenticated)
        AttendanceAPIController(attendance: useCases.attendance).register(on: authenticated)
        BillingAPIController(billing: useCases.billing).register(on: authenticated)
        DirectDebitAPIController(debits: runtime.directDebits).register(on: authenticated)
        BillingDocumentAPIController(documents: useCases.billingDocuments).register(on: authenticated)
        OnlinePaymentAPIController(
            payments: runtime.onlinePayments, mail: runtime.mail, development: runtime.configuration.development
        ).register(public: api, authenticated: authenticated)
        let exportPages = ExportPages(exports: useCases.exports, activities: useCases.activities, renderer: renderer)
        exportPages.registerAPI(on: authenticated)
        let dashboard = DashboardPage(dashboard: useCases.dashboard, renderer: renderer)
        dashboard.registerAPI(on: authenticated)
        DocumentAPIController(useCases: useCases, service: documentService).register(on: authenticated)
        PrivacyAPIController(useCases: useCases, service: privacyService).register(on: authenticated)
        let contact = ContactService(database: database, associations: runtime.associations, mail: runtime.mail)
        let associationPages = AssociationPages(
            useCases: useCases, associations: runtime.associations, renderer: renderer, csrf: csrf,
            contact: contact, secondFactors: runtime.secondFactors)
        AssociationAPIController(pages: associationPages).register(on: authenticated)
        // Pages: same-origin checks on unsafe methods, then the browser session.
        router.add(middleware: OriginGuard<AppRequestContext>())
        let wizardPages = WizardPages(useCases: useCases, renderer: renderer, csrf: csrf)
        let basketPages = BasketPages(useCases: useCases, renderer: renderer, csrf: csrf, service: bookingService)
        // The pages read most (Mon calendrier, step 3) check the session in their use case's
        // transaction: one transaction a page instead of two.
        let pagesCheckingCaller = router.group()
            .add(middleware: SessionMiddleware(authentication: useCases.authentication, cookies: cookies, deferred: true))
        wizardPages.registerCheckingCaller(on: pagesCheckingCaller)
        basketPages.registerCheckingCaller(on: pagesCheckingCaller)
        router.add(middleware: SessionMiddleware(authentication: useCases.authentication, cookies: cookies))
        HomeController(associations: runtime.associations, families: useCases.families, renderer: renderer).register(on: router)
        LanguageController(accounts: AccountLanguages(database: database), cookies: cookies, csrf: csrf).register(on: router)
        LoginController(useCases: useCases, auth: auth, renderer: renderer, cookies: cookies, csrf: csrf).register(on: router)
        let update = PasswordUpdate(policy: runtime.passwordPolicy, mail: runtime.mail)
        let passwords = Passwords(database: database, hasher: runtime.hasher, update: update, mail: runtime.mail)
        PasswordResetController(passwords: passwords, renderer: renderer, csrf: csrf, cookies: cookies).register(on: router)
        PasswordChangeController(passwords: passwords, renderer: renderer, csrf: csrf).register(on: router)
        SecondFactorController(secondFactors: runtime.secondFactors, renderer: renderer, csrf: csrf).register(on: router)
        StaffInvitationController(useCases: useCases, invitations: runtime.invitations, renderer: renderer, csrf: csrf)
            .register(on: router)
        StaffActivitiesController(management: useCases.activities, renderer: renderer, csrf: csrf).register(on: router)
        FamilyFilePages(useCases: useCases, renderer: renderer, csrf: csrf, service: familyService).register(on: router)
        router.get("/mon-compte/export") { request, context in
            try await export.response(
                tenant: try context.requireTenant(), account: try context.requireAccount(request), ip: context.remoteIP)
        }
        DocumentPages(useCases: useCases, renderer: renderer, csrf: csrf, service: documentService).register(on: router)
        PrivacyPages(useCases: useCases, renderer: renderer, csrf: csrf, service: privacyService).register(on: router)
        staffFamilies.register(on: router)
        staffBooking.register(on: router)
        associationPages.register(on: router)
        wizardPages.register(on: router)
        basketPages.register(on: router)
        StaffQueuePage(useCases: useCases, renderer: renderer, csrf: csrf, service: bookingService).register(on: router)
        absencePages.register(on: router)
        waitingLists.register(on: router)
        exportPages.register(on: router)
        dashboard.register(on: router)
        AttendancePages(attendance: useCases.attendance, renderer: renderer, csrf: csrf).register(on: router)
        let billingPages = BillingPages(
            billing: useCases.billing, onlinePayments: runtime.onlinePayments, directDebits: runtime.directDebits,
            associations: runtime.associations,
            renderer: renderer, csrf: csrf)
        billingPages.register(on: router)
        BillingDocumentPages(documents: useCases.billingDocuments, pages: billingPages).register(on: router)
        OnlinePaymentPages(
            payments: runtime.onlinePayments, mail: runtime.mail, renderer: renderer, csrf: csrf,
            development: runtime.configuration.development
        ).register(on: router)
        DirectDebitPages(debits: runtime.directDebits, renderer: renderer, csrf: csrf).register(on: router)
        MandatePages(debits: runtime.directDebits, billing: useCases.billing, renderer: renderer, csrf: csrf).register(
            on: router)
        if runtime.configuration.development && runtime.configuration.mail.mode == "capture" {
            DevMailController(useCases: useCases, renderer: renderer).register(on: router)
        }
        return router
    }

    public static func make(runtime: Runtime, logger: Logger) async throws -> some ApplicationProtocol {
        let renderer = try await PageRenderer()
        var services: [any Service] = [DatabaseService(runtime: runtime)]
        if runtime.configuration.mail.deliver { services.append(runtime.mailWorker(logger: logger)) }
        services.append(runtime.housekeeping(logger: logger))
        if let port = runtime.configuration.metrics.port {
            services.append(
                Application(
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
    let runtime: Runtime

    func run() async throws {
        try? await gracefulShutdown()
        await runtime.closeDatabase()
    }
}
