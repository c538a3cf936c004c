import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// The reminder of an overdue invoice: once per invoice, on the day its due date is the
/// settings' reminder days behind, to each parent of the family in their language, through
/// the outbox in the transaction that marks the invoice reminded (so a crash sends neither or
/// both). The housekeeping pass runs it for every association.
public struct InvoiceReminders: Sendable {
    let database: Database
    let mail: MailComposer

    public init(database: Database, mail: MailComposer) {
        self.database = database
        self.mail = mail
    }

    /// Sends what is due in `tenant` on `today`; how many invoices were reminded.
    @discardableResult
    public func send(tenant: Tenant, today: LocalDate = ParisClock.date(of: Date())) async throws -> Int {
        try await database.withTenant(try tenant.scope()) { tx in
            let reminders = try OverdueStore().claimReminders(tx, today: today)
            let outbox = OutboxStore()
            for reminder in reminders {
                for parent in try AccountStore().list(tx, familyID: reminder.familyID) where !parent.isDisabled {
                    let message = mail.speaking(to: parent) { mail.invoiceReminder(tenant, reminder) }
                    try outbox.enqueue(tx, kind: message.kind, to: parent.email, subject: message.subject, body: message.body)
                }
            }
            return reminders.count
        }
    }
}
