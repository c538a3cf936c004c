import Foundation
import MarelleAuth
import MarelleCore
import MarelleDatabase
import MarellePayments
import MarelleStore

/// The association's payment provider: its settings as pages show them, their validation and
/// sealing, and the provider adapter built from what was saved.
extension OnlinePayments {
    /// What the provider's credentials hold, sealed at rest.
    struct Credentials: Codable {
        var secretKey: String
        var webhookSecret: String
        /// HelloAsso's OAuth2 client id and the association's slug there.
        var clientID: String?
        var organization: String?
        /// PayFiP's mode: T (test), X (activation), W (production).
        var mode: String?
    }

    public struct Settings: Sendable {
        /// The server can seal credentials (it has a `paymentsKey`).
        public let available: Bool
        public let provider: ProviderKind?
        /// The secret's last characters, as pages show it.
        public let hint: String
        public let enabled: Bool
        /// Only a development server offers the fake provider.
        public let offersFake: Bool
        /// HelloAsso's slug of the association (not a secret).
        public let organization: String?
        /// PayFiP's mode (T, X, W).
        public let mode: String?
    }

    public func settings(tenant: Tenant, development: Bool) async throws -> Settings {
        let saved = try await database.withTenant(try tenant.scope()) { tx in try PaymentProviderStore().settings(tx) }
        let credentials = saved.flatMap(opened)
        return Settings(
            available: box != nil, provider: saved.flatMap { ProviderKind(rawValue: $0.provider) }, hint: saved?.hint ?? "",
            enabled: saved?.enabled ?? false, offersFake: development, organization: credentials?.organization,
            mode: credentials?.mode)
    }

    /// Saves the provider and its credentials (empty secrets keep the saved ones when the
    /// provider stays the same), or disables online payment.
    public func configure(
        tenant: Tenant, staff: Account, provider text: String, secretKey: String, webhookSecret: String,
        clientID: String = "", organization: String = "", mode: String = "", enabled: Bool, development: Bool, ip: String?
    ) async throws {
        guard let box else { throw Failure.unavailable }
        var problems: [FieldProblem] = []
        let provider = ProviderKind(rawValue: text).flatMap { $0 == .fake && !development ? nil : $0 }
        if provider == nil { problems.append(FieldProblem(field: "provider", message: tr("OnlinePayments.provider_unknown"))) }
        let secret = secretKey.trimmingCharacters(in: .whitespacesAndNewlines)
        let webhook = webhookSecret.trimmingCharacters(in: .whitespacesAndNewlines)
        for (field, value) in [("secretKey", secret), ("webhookSecret", webhook)]
        where value.count > 300 || value.contains(where: { $0.isWhitespace || $0.isNewline }) {
            problems.append(FieldProblem(field: field, message: tr("OnlinePayments.secret_invalid")))
        }
        if provider == .stripe, !secret.isEmpty, !secret.hasPrefix("sk_") && !secret.hasPrefix("rk_") {
            problems.append(FieldProblem(field: "secretKey", message: tr("OnlinePayments.stripe_key_invalid")))
        }
        if provider == .stripe, !webhook.isEmpty, !webhook.hasPrefix("whsec_") {
            problems.append(FieldProblem(field: "webhookSecret", message: tr("OnlinePayments.stripe_webhook_invalid")))
        }
        let clientText = clientID.trimmingCharacters(in: .whitespacesAndNewlines)
        let slug = organization.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if provider == .helloasso {
            if clientText.count > 200 || clientText.contains(where: { $0.isWhitespace }) {
                problems.append(FieldProblem(field: "clientId", message: tr("OnlinePayments.secret_invalid")))
            }
            if slug.isEmpty || slug.count > 200 || !slug.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" })
            {
                problems.append(FieldProblem(field: "organization", message: tr("OnlinePayments.organization_invalid")))
            }
        }
        if provider == .payfip {
            if !(clientText.count == 6 && clientText.allSatisfy({ $0.isASCII && $0.isNumber })) {
                problems.append(FieldProblem(field: "clientId", message: tr("OnlinePayments.payfip_number_invalid")))
            }
            if !["T", "X", "W"].contains(mode) {
                problems.append(FieldProblem(field: "mode", message: tr("OnlinePayments.payfip_mode_invalid")))
            }
        }
        guard let provider, problems.isEmpty else { throw Failure.invalid(problems) }
        try await database.withTenant(try tenant.scope()) { tx in
            let store = PaymentProviderStore()
            var credentials = Credentials(
                secretKey: secret, webhookSecret: webhook, clientID: clientText.isEmpty ? nil : clientText,
                organization: slug.isEmpty ? nil : slug)
            if let saved = try store.settings(tx), saved.provider == provider.rawValue, let old = opened(saved) {
                if secret.isEmpty { credentials.secretKey = old.secretKey }
                if webhook.isEmpty { credentials.webhookSecret = old.webhookSecret }
                if clientText.isEmpty { credentials.clientID = old.clientID }
            }
            // HelloAsso and PayFiP sign nothing: no webhook secret to keep. PayFiP has no secret
            // at all: its client number and mode are what it needs.
            if provider == .helloasso || provider == .payfip { credentials.webhookSecret = "-" }
            if provider == .payfip { (credentials.secretKey, credentials.mode) = (clientText, mode) }
            if provider == .fake && credentials.secretKey.isEmpty {
                // The fake provider signs with a secret of its own making, as a real one does.
                credentials.secretKey = "fake_" + SecureToken.generate()
                credentials.webhookSecret = credentials.secretKey
            }
            var missing: [String] = []
            if credentials.secretKey.isEmpty { missing.append("secretKey") }
            if credentials.webhookSecret.isEmpty { missing.append("webhookSecret") }
            if provider == .helloasso && (credentials.clientID ?? "").isEmpty { missing.append("clientId") }
            if !missing.isEmpty {
                throw Failure.invalid(missing.map { FieldProblem(field: $0, message: tr("OnlinePayments.secret_needed")) })
            }
            let sealed = box.seal(Array(try JSONEncoder().encode(credentials)))
            try store.save(
                tx, provider: provider.rawValue, sealed: sealed, hint: "…" + String(credentials.secretKey.suffix(4)),
                enabled: enabled, by: staff.id)
            try AuditLog().record(
                tx, actor: .account(staff), action: "payments.provider", ip: ip,
                detail: ["provider": provider.rawValue, "enabled": String(enabled)])
        }
    }

    /// The saved credentials opened; nil without a `paymentsKey`, or sealed with another one.
    func opened(_ saved: PaymentProviderStore.Settings) -> Credentials? {
        guard let box, let plain = try? box.open(saved.sealedCredentials) else { return nil }
        return try? JSONDecoder().decode(Credentials.self, from: Data(plain))
    }

    /// The association's provider, its credentials opened; nil when none is set up and on.
    func provider(_ tx: Session, tenant: Tenant) throws -> (any PaymentProvider)? {
        guard let saved = try PaymentProviderStore().settings(tx), saved.enabled,
            let kind = ProviderKind(rawValue: saved.provider), let credentials = opened(saved)
        else { return nil }
        switch kind {
        case .stripe:
            return StripeProvider(
                secretKey: credentials.secretKey, webhookSecret: credentials.webhookSecret, baseURL: stripeBaseURL,
                client: client)
        case .fake:
            return FakeProvider(secret: credentials.secretKey, backend: FakeProviderBooks(database: database, tenant: tenant))
        case .helloasso:
            return HelloAssoProvider(
                clientID: credentials.clientID ?? "", clientSecret: credentials.secretKey,
                organization: credentials.organization ?? "", baseURL: helloAssoBaseURL, client: client)
        case .payfip:
            return PayFiPProvider(
                clientNumber: credentials.clientID ?? "", mode: credentials.mode ?? "T",
                serviceURL: payFiPBaseURL + "/tpa/services/securite",
                paymentPageURL: payFiPBaseURL + "/tpa/paiementws.web", client: client)
        }
    }
}
