import Foundation
import Logging
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarellePayments
import MarelleStore

/// Paying online. A parent's "Payer" opens an attempt for what the chosen invoices owe and
/// sends the parent to the provider; the money is counted only when the provider's server
/// says so: a notification whose signature holds, after which the checkout is read back from
/// the provider's API (a notification's body is never believed), or the same read-back from
/// the return page or the reconciliation. Settling locks the attempt, so duplicates, late and
/// out-of-order notifications leave one payment; a paid attempt stays paid.
public struct OnlinePayments: Sendable {
    let database: Database
    let mail: MailComposer
    let box: SecretBox?
    let stripeBaseURL: String
    let helloAssoBaseURL: String
    let payFiPBaseURL: String
    let client: HTTPClient
    let logger: Logger

    public init(
        database: Database, mail: MailComposer, box: SecretBox?, stripeBaseURL: String = "https://api.stripe.com",
        helloAssoBaseURL: String = "https://api.helloasso.com", payFiPBaseURL: String = "https://www.payfip.gouv.fr",
        client: HTTPClient = .init(), logger: Logger = Logger(label: "marelle.payments")
    ) {
        (self.database, self.mail, self.box, self.stripeBaseURL, self.helloAssoBaseURL) = (
            database, mail, box, stripeBaseURL, helloAssoBaseURL
        )
        (self.payFiPBaseURL, self.client, self.logger) = (payFiPBaseURL, client, logger)
    }

    public enum Failure: Error, Sendable, Equatable {
        /// The association has not set up online payment (or the server has no `paymentsKey`).
        case unavailable
        /// Nothing owed among the invoices asked for.
        case nothingToPay
        /// The provider (PayFiP) pays one invoice at a time.
        case oneInvoiceAtATime
        /// The provider could not be reached or refused to open a checkout.
        case providerFailed
        case invalid([FieldProblem])
    }

    /// The fake provider's side, for its payment page (development and tests).
    public func fakeBooks(tenant: Tenant) -> FakeProviderBooks {
        FakeProviderBooks(database: database, tenant: tenant)
    }

    // MARK: Paying

    /// Where the parent goes to pay.
    public struct Started: Sendable {
        public let id: Int
        public let redirectURL: String
    }

    /// Opens an attempt for what `invoiceIDs` owe (nil: every open invoice of the family) and
    /// the provider's checkout. `origin` is the association's public origin, for the return,
    /// cancel and notification addresses.
    public func start(tenant: Tenant, parent: Account, familyID: Int, invoiceIDs: [Int]?, origin: String) async throws
        -> Started
    {
        let opened: (Int, Int, any PaymentProvider, [(number: String, year: Int)]) = try await database.withTenant(
            try tenant.scope()
        ) { tx in
            guard let provider = try self.provider(tx, tenant: tenant) else { throw Failure.unavailable }
            let accounts = FamilyAccountStore()
            guard let familyName = try accounts.lock(tx, familyID: familyID) else { throw Failure.nothingToPay }
            var open = try accounts.openInvoices(tx, familyID: familyID)
            if let invoiceIDs { open = open.filter { invoiceIDs.contains($0.id) } }
            guard !open.isEmpty else { throw Failure.nothingToPay }
            if provider.kind == .payfip && open.count != 1 { throw Failure.oneInvoiceAtATime }
            let numbers = try open.compactMap { try InvoiceStore().find(tx, id: $0.id) }.map { ($0.number, $0.issuedOn.year) }
            let id = try OnlinePaymentStore().create(
                tx, familyID: familyID, familyName: familyName, provider: provider.kind.rawValue, invoices: open, by: parent.id)
            return (id, open.map(\.owedCents).reduce(0, +), provider, numbers)
        }
        let (id, amount, provider, numbers) = opened
        let checkout: Checkout
        do {
            checkout = try await provider.createCheckout(
                CheckoutRequest(
                    paymentID: id, amountCents: amount, currency: "EUR",
                    description: tr("OnlinePayments.checkout_description", tenant.displayName, id), customerEmail: parent.email,
                    returnURL: origin + "/paiements/\(id)", cancelURL: origin + "/paiements/\(id)?annule=1",
                    notifyURL: origin + "/api/v1/webhooks/\(provider.kind.rawValue)", invoices: numbers))
        } catch {
            logger.warning(
                "checkout not opened", metadata: ["tenant": "\(tenant.slug)", "payment": "\(id)", "error": "\(error)"])
            try await database.withTenant(try tenant.scope()) { tx in
                try OnlinePaymentStore().markUnpaid(tx, id: id, state: .failed, failure: "checkout not opened")
            }
            throw Failure.providerFailed
        }
        try await database.withTenant(try tenant.scope()) { tx in
            try OnlinePaymentStore().markPending(tx, id: id, checkoutRef: checkout.reference)
        }
        return Started(id: id, redirectURL: checkout.redirectURL)
    }

    /// An attempt of the family's, read back from the provider first when it is still
    /// waiting (the return page: the parent may be back before the notification).
    public func attempt(tenant: Tenant, id: Int, familyID: Int?, now: Date = Date()) async throws -> OnlinePaymentStore.Attempt? {
        let scope = try tenant.scope()
        guard
            let found = try await database.withTenant(
                scope, { tx in try OnlinePaymentStore().find(tx, id: id, familyID: familyID) })
        else { return nil }
        guard [.pending, .created].contains(found.state), let ref = found.checkoutRef,
            now.timeIntervalSince(found.checkedAt ?? .distantPast) > 2
        else { return found }
        try? await reread(tenant: tenant, checkoutRef: ref, eventRef: nil, body: [], remoteIP: nil, now: now)
        return try await database.withTenant(scope) { tx in try OnlinePaymentStore().find(tx, id: id, familyID: familyID) }
    }

    public func attempts(tenant: Tenant, familyID: Int) async throws -> [OnlinePaymentStore.Attempt] {
        try await database.withTenant(try tenant.scope()) { tx in try OnlinePaymentStore().list(tx, familyID: familyID) }
    }

    // MARK: The provider's word

    public enum NotificationOutcome: Sendable, Equatable {
        /// Taken into account (or already was): answer 200.
        case accepted
        /// The signature does not hold: answer 400, logged.
        case forged
        /// The provider could not be read back: answer 503, the provider sends it again.
        case retryLater
    }

    /// A notification from `kind`'s server.
    public func notify(
        tenant: Tenant, kind: String, body: [UInt8], headers: [String: String], remoteIP: String?, now: Date = Date()
    ) async throws -> NotificationOutcome {
        let configured: (any PaymentProvider)? = try await database.withTenant(try tenant.scope()) { tx in
            try self.provider(tx, tenant: tenant)
        }
        guard let provider = configured, provider.kind.rawValue == kind,
            let verified = provider.verify(body: body, headers: headers, now: now)
        else {
            logger.warning("payment notification refused", metadata: ["tenant": "\(tenant.slug)", "provider": "\(kind)"])
            try await database.withTenant(try tenant.scope()) { tx in
                try OnlinePaymentStore().logNotification(
                    tx, provider: String(kind.prefix(20)), eventRef: nil, signatureValid: false, paymentID: nil,
                    outcome: "refused: bad signature or no such provider", remoteIP: remoteIP, body: body)
            }
            return .forged
        }
        if verified.checkoutReference.isEmpty {
            try await database.withTenant(try tenant.scope()) { tx in
                try OnlinePaymentStore().logNotification(
                    tx, provider: kind, eventRef: verified.eventReference, signatureValid: true, paymentID: nil,
                    outcome: "ignored: nothing to read back", remoteIP: remoteIP, body: body)
            }
            return .accepted
        }
        do {
            try await reread(
                tenant: tenant, checkoutRef: verified.checkoutReference, eventRef: verified.eventReference, body: body,
                remoteIP: remoteIP, now: now, provider: provider)
            return .accepted
        } catch is ProviderFailure {
            return .retryLater
        } catch let error as HTTPClient.Failure {
            logger.warning("provider not read back", metadata: ["tenant": "\(tenant.slug)", "error": "\(error)"])
            return .retryLater
        }
    }

    /// Reads the checkout back from the provider and settles the attempt by what it says.
    func reread(
        tenant: Tenant, checkoutRef: String, eventRef: String?, body: [UInt8], remoteIP: String?, now: Date,
        provider given: (any PaymentProvider)? = nil
    ) async throws {
        let scope = try tenant.scope()
        var provider = given
        if provider == nil { provider = try await database.withTenant(scope) { tx in try self.provider(tx, tenant: tenant) } }
        guard let provider else { return }
        let status = try await provider.status(ofCheckout: checkoutRef)
        let today = ParisClock.date(of: now)
        try await database.withTenant(scope) { tx in
            let store = OnlinePaymentStore()
            let kind = provider.kind.rawValue
            func log(_ outcome: String, _ id: Int?) throws {
                guard !body.isEmpty || eventRef != nil else { return }
                try store.logNotification(
                    tx, provider: kind, eventRef: eventRef, signatureValid: true, paymentID: id, outcome: outcome,
                    remoteIP: remoteIP, body: body)
            }
            guard let attempt = try store.lock(tx, provider: kind, checkoutRef: checkoutRef) else {
                try log("unknown checkout", nil)
                return
            }
            if attempt.state == .paid || attempt.state == .refunded {
                try log("already \(attempt.state.rawValue)", attempt.id)
                return
            }
            switch status.state {
            case .open:
                try store.markChecked(tx, id: attempt.id)
                try log("still open", attempt.id)
                return
            case .failed, .expired:
                try store.markUnpaid(
                    tx, id: attempt.id, state: status.state == .failed ? .failed : .expired, failure: status.state.rawValue)
                try log(status.state.rawValue, attempt.id)
                return
            case .paid:
                guard status.amountCents == attempt.amountCents, status.currency == attempt.currency else {
                    // Money taken, but not what was asked: the direction sorts it out by hand.
                    let said = "\(Money(cents: status.amountCents)) \(status.currency)"
                    try store.markUnpaid(tx, id: attempt.id, state: .failed, failure: "amount mismatch: \(said)")
                    try log("amount mismatch: \(said)", attempt.id)
                    return
                }
                guard let familyID = attempt.familyID, try FamilyAccountStore().lock(tx, familyID: familyID) != nil else {
                    try log("family erased", attempt.id)
                    return
                }
                let paymentID = try store.settlePaid(
                    tx, attempt: attempt, transactionRef: status.transactionReference ?? checkoutRef, today: today)
                try log("paid", attempt.id)
                try AuditLog().record(
                    tx, actor: .system, action: "payment.online", subject: "family:\(familyID)", ip: remoteIP,
                    detail: ["payment": String(paymentID), "attempt": String(attempt.id), "amount": String(attempt.amountCents)])
                // The receipt goes in the same transaction: paid and mailed, or neither.
                guard let payment = try FamilyAccountStore().payment(tx, id: paymentID) else { return }
                for parent in try AccountStore().list(tx, familyID: familyID) where !parent.isDisabled {
                    let message = mail.speaking(to: parent) { mail.onlinePaymentReceived(tenant, payment: payment) }
                    try OutboxStore().enqueue(
                        tx, kind: message.kind, to: parent.email, subject: message.subject, body: message.body)
                }
            }
        }
    }

    // MARK: Reconciliation

    /// Reads back every attempt still waiting for ten minutes or more; expires those the
    /// provider never opened within an hour, or still open after a day. How many were read.
    @discardableResult
    public func reconcile(tenant: Tenant, now: Date = Date()) async throws -> Int {
        let scope = try tenant.scope()
        let waiting = try await database.withTenant(scope) { tx in
            try OnlinePaymentStore().unsettled(tx, before: now.addingTimeInterval(-600))
        }
        for attempt in waiting {
            guard let ref = attempt.checkoutRef else {
                if now.timeIntervalSince(attempt.createdAt) > 3600 {
                    try await database.withTenant(scope) { tx in
                        try OnlinePaymentStore().markUnpaid(tx, id: attempt.id, state: .expired, failure: "never opened")
                    }
                }
                continue
            }
            do {
                try await reread(tenant: tenant, checkoutRef: ref, eventRef: nil, body: [], remoteIP: nil, now: now)
            } catch {
                logger.warning("reconciliation read failed", metadata: ["tenant": "\(tenant.slug)", "error": "\(error)"])
                continue
            }
            if now.timeIntervalSince(attempt.createdAt) > 86_400 {
                try await database.withTenant(scope) { tx in
                    if let again = try OnlinePaymentStore().find(tx, id: attempt.id), again.state == .pending {
                        try OnlinePaymentStore().markUnpaid(
                            tx, id: attempt.id, state: .expired, failure: "still open after a day")
                    }
                }
            }
        }
        return waiting.count
    }
}
