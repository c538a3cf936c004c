import MarelleCore
import MarelleDatabase

/// The association's billing settings (columns of `association_settings`).
public struct BillingSettingsStore: Sendable {
    public init() {}

    public struct Settings: Sendable, Hashable, Codable {
        /// Printed on invoices, receipts and certificates; nil until the direction sets it.
        public var siret: String?
        /// Days between issue and due date.
        public var paymentDays: Int
        /// Days after the due date before the reminder mail; nil: no reminder.
        public var reminderDays: Int?
        /// New bookings are refused while the overdue balance is above this; nil: never.
        public var blockingCents: Int?

        public static let standard = Settings(siret: nil, paymentDays: 30, reminderDays: nil, blockingCents: nil)

        public init(siret: String?, paymentDays: Int, reminderDays: Int?, blockingCents: Int?) {
            (self.siret, self.paymentDays, self.reminderDays, self.blockingCents) = (
                siret, paymentDays, reminderDays, blockingCents
            )
        }
    }

    public func settings(_ tx: Session) throws -> Settings {
        guard
            let row = try tx.queryFirst(
                "SELECT siret, payment_days, reminder_days, blocking_cents FROM association_settings")
        else { return .standard }
        return Settings(
            siret: try row.decode("siret"), paymentDays: try row.decode("payment_days"),
            reminderDays: try row.decode("reminder_days"), blockingCents: try row.decode("blocking_cents"))
    }

    /// Saves the settings; `displayName` fills the row when the association has none yet.
    public func update(_ tx: Session, _ s: Settings, displayName: String) throws {
        try tx.execute(
            """
            INSERT INTO association_settings (display_name, siret, payment_days, reminder_days, blocking_cents)
            VALUES (\(displayName), \(s.siret), \(s.paymentDays), \(s.reminderDays), \(s.blockingCents))
            ON CONFLICT (singleton) DO UPDATE SET siret = EXCLUDED.siret, payment_days = EXCLUDED.payment_days,
                reminder_days = EXCLUDED.reminder_days, blocking_cents = EXCLUDED.blocking_cents, updated_at = now()
            """)
    }
}
