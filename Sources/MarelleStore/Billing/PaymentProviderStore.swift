import Foundation
import MarelleCore
import MarelleDatabase

/// The association's payment provider and its sealed credentials (the App seals and opens
/// them; the store only keeps the bytes and the hint pages may show).
public struct PaymentProviderStore: Sendable {
    public init() {}

    public struct Settings: Sendable, Hashable {
        public let provider: String
        public let sealedCredentials: [UInt8]
        public let hint: String
        public let enabled: Bool
    }

    public func settings(_ tx: Session) throws -> Settings? {
        try tx.queryFirst("SELECT provider, credentials, credentials_hint, enabled FROM payment_provider_settings").map {
            Settings(
                provider: try $0.decode("provider"), sealedCredentials: try $0.decode("credentials", as: ByteA.self).bytes,
                hint: try $0.decode("credentials_hint"), enabled: try $0.decode("enabled"))
        }
    }

    public func save(_ tx: Session, provider: String, sealed: [UInt8], hint: String, enabled: Bool, by accountID: Int?) throws {
        try tx.execute(
            """
            INSERT INTO payment_provider_settings (provider, credentials, credentials_hint, enabled, updated_by)
            VALUES (\(provider), \(ByteA(sealed)), \(hint), \(enabled), \(accountID))
            ON CONFLICT (singleton) DO UPDATE SET provider = EXCLUDED.provider, credentials = EXCLUDED.credentials,
                credentials_hint = EXCLUDED.credentials_hint, enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by,
                updated_at = now()
            """)
    }

    public func setEnabled(_ tx: Session, _ enabled: Bool, by accountID: Int?) throws {
        try tx.execute(
            "UPDATE payment_provider_settings SET enabled = \(enabled), updated_by = \(accountID), updated_at = now()")
    }
}
