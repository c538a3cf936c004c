import Foundation
import Hummingbird
import HummingbirdTesting
import MarelleApp
import MarelleAuth
import MarelleCore
import MarelleTestSupport
import Testing

/// A local stand-in of a payment provider's API (a router answering as its documentation
/// shows), with the online payment use case pointed at it and an association whose February
/// invoices are issued: what the adapters' tests start from, never the internet.
enum ProviderStand {
    struct Setting: Sendable {
        let payments: OnlinePayments
        let tenant: Tenant
        let families: [BookingFixtures.Family]
        let staff: Account
        let numbers: [String]
    }

    static func with(_ router: Router<BasicRequestContext>, _ body: @Sendable (Setting) async throws -> Void) async throws {
        try await Application(router: router).test(.live) { client in
            let runtime = try await TestEnvironment.runtime()
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let payments = OnlinePayments(
                database: runtime.database, mail: runtime.mail, box: try SecretBox(base64: TestEnvironment.paymentsKey),
                stripeBaseURL: base, helloAssoBaseURL: base, payFiPBaseURL: base)
            let tenant = try await TestEnvironment.makeTenant()
            let (families, staff, numbers) = try await BillingFixtures.issuedFebruary(tenant)
            try await body(Setting(payments: payments, tenant: tenant, families: families, staff: staff, numbers: numbers))
        }
    }
}
