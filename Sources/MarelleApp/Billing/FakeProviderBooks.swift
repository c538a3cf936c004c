import Foundation
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarellePayments
import MarelleStore

/// The fake provider's side, played by Marelle in development and tests: its checkouts (in
/// the association's schema), the payment page's decision, and its signed notification to
/// the association's webhook, handed to `OnlinePayments.notify` as a provider's server would
/// post it (duplicated or delayed on request, to try the core).
public struct FakeProviderBooks: FakeProviderBackend {
    let database: Database
    let tenant: Tenant

    public init(database: Database, tenant: Tenant) {
        (self.database, self.tenant) = (database, tenant)
    }

    public func open(_ request: CheckoutRequest, secret: String) async throws -> Checkout {
        let id = "fk_" + SecureToken.generate().prefix(24)
        try await database.withTenant(try tenant.scope()) { tx in
            try FakeProviderStore().create(
                tx, id: id, reference: String(request.paymentID), secret: secret, amountCents: request.amountCents,
                currency: request.currency, description: request.description, returnURL: request.returnURL,
                cancelURL: request.cancelURL, notifyURL: request.notifyURL)
        }
        // The provider's page is on the association's own host: its origin is the return URL's.
        let origin = request.returnURL.components(separatedBy: "/paiements/").first ?? ""
        return Checkout(reference: id, redirectURL: origin + "/_fake-pay/" + id)
    }

    public func status(of reference: String) async throws -> ProviderStatus {
        guard let checkout = try await find(reference) else { throw ProviderFailure("no such fake checkout") }
        return ProviderStatus(
            state: ProviderStatus.State(rawValue: checkout.state) ?? .open, amountCents: checkout.amountCents,
            currency: checkout.currency, transactionReference: checkout.transactionID)
    }

    public func find(_ id: String) async throws -> FakeProviderStore.Checkout? {
        try await database.withTenant(try tenant.scope()) { tx in try FakeProviderStore().find(tx, id: id) }
    }

    /// The notification the fake provider's server sends for `checkout`, signed at `now`.
    public static func notification(for checkout: FakeProviderStore.Checkout, event: String, now: Date) -> (
        body: [UInt8], headers: [String: String]
    ) {
        let body = Array(
            (try? JSONEncoder().encode(FakeProvider.NotificationBody(event: event, checkout: checkout.id))) ?? Data())
        let header = TimestampedSignature.header(body: body, secret: checkout.secret, timestamp: Int(now.timeIntervalSince1970))
        return (body, [FakeProvider.signatureHeader: header])
    }

    /// The parent pressed "Payer" or "Refuser" on the fake page: the checkout is decided, then
    /// notified (`copies` times, after `delay`). Where the browser goes next; nil when there is
    /// no such checkout.
    public func decide(
        _ id: String, pay: Bool, copies: Int = 1, delay: Duration = .zero, payments: OnlinePayments
    ) async throws -> String? {
        guard let checkout = try await find(id) else { return nil }
        _ = try await database.withTenant(try tenant.scope()) { tx in
            try FakeProviderStore().decide(tx, id: id, paid: pay, transactionID: "fktx_" + SecureToken.generate().prefix(16))
        }
        guard let decided = try await find(id) else { return nil }
        let tenant = tenant
        let send: @Sendable () async -> Void = {
            for _ in 0..<max(1, min(copies, 5)) {
                let (body, headers) = Self.notification(
                    for: decided, event: "evt_" + SecureToken.generate().prefix(16), now: Date())
                _ = try? await payments.notify(tenant: tenant, kind: "fake", body: body, headers: headers, remoteIP: "fake")
            }
        }
        if delay == .zero {
            await send()
        } else {
            // A late notification, as providers send them: the return page waits for it.
            Task {
                try? await Task.sleep(for: delay)
                await send()
            }
        }
        return pay ? checkout.returnURL : checkout.cancelURL
    }
}
