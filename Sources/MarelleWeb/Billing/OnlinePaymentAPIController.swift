import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarellePayments
import MarelleStore

/// Online payment in the API. Parents: `POST /family/online-payments` (an invoice list, or
/// none for the whole balance) answers where to send the browser; `GET
/// /family/online-payments/{id}` what the provider has confirmed. The direction: `GET` and
/// `PUT /payment-provider`. Providers: `POST /webhooks/{provider}`, outside the bearer and
/// session machinery, believed on its signature only (and then only as a cue to read the
/// checkout back from the provider).
struct OnlinePaymentAPIController {
    let payments: OnlinePayments
    let mail: MailComposer
    let development: Bool

    struct StartInput: Decodable {
        let invoiceIds: [Int]?
    }

    struct ProviderInput: Decodable {
        let provider: String
        let secretKey: String?
        let webhookSecret: String?
        let clientId: String?
        let organization: String?
        let mode: String?
        let enabled: Bool?
    }

    func register(public api: RouterGroup<AppRequestContext>, authenticated: RouterGroup<AppRequestContext>) {
        api.post("/webhooks/{provider}") { request, context in
            let tenant = try context.requireTenant()
            guard let kind = context.parameters.get("provider"), ProviderKind(rawValue: kind) != nil else {
                throw Problem.notFound
            }
            var request = request
            let body = Array(try await request.collectBody(upTo: 256 * 1024).readableBytesView)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            switch try await payments.notify(tenant: tenant, kind: kind, body: body, headers: headers, remoteIP: context.remoteIP)
            {
            case .accepted: return JSONReply(WebhookBody(received: true))
            case .forged: throw Problem.badRequest(tr("OnlinePaymentAPI.signature_refused"))
            case .retryLater:
                throw Problem(
                    status: .serviceUnavailable, title: tr("OnlinePaymentAPI.retry_title"),
                    detail: tr("OnlinePaymentAPI.retry_detail"), retryAfter: 60)
            }
        }
        authenticated.post("/family/online-payments") { request, context in
            let tenant = try context.requireTenant()
            let (account, familyID) = try context.requireAPIFamily(writing: true)
            let input = try await JSONBody.decode(request, as: StartInput.self)
            do {
                let started = try await payments.start(
                    tenant: tenant, parent: account, familyID: familyID, invoiceIDs: input.invoiceIds,
                    origin: OnlinePaymentPages.origin(mail, tenant))
                guard let attempt = try await payments.attempt(tenant: tenant, id: started.id, familyID: familyID) else {
                    throw Problem.notFound
                }
                return JSONReply(status: .created, OnlinePaymentBody(attempt, redirectURL: started.redirectURL))
            } catch OnlinePayments.Failure.oneInvoiceAtATime {
                throw Problem.invalid([FieldProblem(field: "invoiceIds", message: tr("BillingPages.online_one_invoice"))])
            } catch OnlinePayments.Failure.nothingToPay {
                throw Problem.invalid([FieldProblem(field: "invoiceIds", message: tr("OnlinePaymentAPI.nothing_to_pay"))])
            } catch OnlinePayments.Failure.unavailable {
                throw Problem(
                    status: .conflict, title: tr("OnlinePaymentAPI.unavailable_title"),
                    detail: tr("OnlinePaymentAPI.unavailable_detail"))
            } catch OnlinePayments.Failure.providerFailed {
                throw Problem(
                    status: .serviceUnavailable, title: tr("OnlinePaymentAPI.retry_title"),
                    detail: tr("OnlinePaymentAPI.provider_failed"), retryAfter: 60)
            }
        }
        authenticated.get("/family/online-payments/{id}") { _, context in
            let tenant = try context.requireTenant()
            let (_, familyID) = try context.requireAPIFamily(writing: false)
            guard let attempt = try await payments.attempt(tenant: tenant, id: try context.requirePathID(), familyID: familyID)
            else { throw Problem.notFound }
            return JSONReply(OnlinePaymentBody(attempt, redirectURL: nil))
        }
        authenticated.get("/payment-provider") { _, context in
            let tenant = try context.requireTenant()
            _ = try context.requireAPIStaff(writing: true)
            return JSONReply(PaymentProviderBody(try await payments.settings(tenant: tenant, development: development)))
        }
        authenticated.put("/payment-provider") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let input = try await JSONBody.decode(request, as: ProviderInput.self)
            do {
                try await payments.configure(
                    tenant: tenant, staff: staff, provider: input.provider, secretKey: input.secretKey ?? "",
                    webhookSecret: input.webhookSecret ?? "", clientID: input.clientId ?? "",
                    organization: input.organization ?? "", mode: input.mode ?? "", enabled: input.enabled ?? true,
                    development: development,
                    ip: context.remoteIP)
            } catch OnlinePayments.Failure.invalid(let problems) {
                throw Problem.invalid(problems)
            } catch OnlinePayments.Failure.unavailable {
                throw Problem(
                    status: .conflict, title: tr("OnlinePaymentAPI.unavailable_title"), detail: tr("OnlinePaymentPages.no_key"))
            }
            return JSONReply(PaymentProviderBody(try await payments.settings(tenant: tenant, development: development)))
        }
    }
}

struct WebhookBody: Encodable {
    let received: Bool
}

/// An online payment as the API shows it.
struct OnlinePaymentBody: Encodable {
    let id: Int
    let state: String
    let amountCents: Int
    let currency: String
    let receiptNumber: String?
    let paymentId: Int?
    let failure: String?
    /// Where to send the browser (only in the answer that opens it).
    let redirectUrl: String?

    init(_ a: OnlinePaymentStore.Attempt, redirectURL: String?) {
        (id, state, amountCents, currency) = (a.id, a.state.rawValue, a.amountCents, a.currency)
        (receiptNumber, paymentId, failure, redirectUrl) = (a.receiptNumber, a.paymentID, a.failure, redirectURL)
    }
}

/// The provider's settings, secrets never included.
struct PaymentProviderBody: Encodable {
    let available: Bool
    let provider: String?
    let hint: String
    let enabled: Bool
    let organization: String?

    init(_ s: OnlinePayments.Settings) {
        (available, provider, hint, enabled, organization) = (
            s.available, s.provider?.rawValue, s.hint, s.enabled, s.organization
        )
    }
}
