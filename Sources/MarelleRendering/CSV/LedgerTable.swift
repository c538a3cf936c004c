import MarelleApp
import MarelleCore
import MarelleStore

/// A family's statement (relevé de compte): the words of each entry, shared by the account
/// pages and the CSV, and the CSV itself in the exports' format.
public enum LedgerTable {
    /// "Facture de février 2027", "Avoir", "Paiement (chèque)", "Remboursement (virement)".
    public static func what(_ entry: FamilyAccountStore.Entry) -> String {
        switch entry.kind {
        case .invoice: tr("LedgerTable.entry_invoice", Month(iso: entry.label)?.name ?? entry.label)
        case .creditNote: tr("LedgerTable.entry_credit_note")
        case .payment: tr("LedgerTable.entry_payment", PaymentMethod(rawValue: entry.label)?.label ?? entry.label)
        case .refund: tr("LedgerTable.entry_refund", PaymentMethod(rawValue: entry.label)?.label ?? entry.label)
        }
    }

    /// Date, operation, number, debit, credit and running balance, oldest first.
    public static func csv(_ ledger: FamilyAccountStore.Ledger) -> String {
        var csv = CSVWriter(header: [
            tr("LedgerTable.date"), tr("LedgerTable.operation"), tr("LedgerTable.number"), tr("LedgerTable.debit"),
            tr("LedgerTable.credit"), tr("LedgerTable.balance"),
        ])
        for entry in ledger.entries {
            csv.append([
                .date(entry.on), .text(what(entry)), .text(entry.number),
                entry.amountCents > 0 ? .euros(cents: entry.amountCents) : .empty,
                entry.amountCents < 0 ? .euros(cents: -entry.amountCents) : .empty, .euros(cents: entry.balanceCents),
            ])
        }
        return csv.text
    }
}
