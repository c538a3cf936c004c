/// Where an invoice stands for the family: what it still owes, and whether it is late.
public enum InvoiceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case due, partiallyPaid = "partially_paid", paid, overdue, credited

    /// `owed` is the total less credit notes and payments allocated to it.
    public static func of(totalCents: Int, creditedCents: Int, paidCents: Int, dueOn: LocalDate, today: LocalDate)
        -> InvoiceStatus
    {
        let owed = totalCents - creditedCents - paidCents
        if owed <= 0 { return creditedCents >= totalCents && paidCents == 0 ? .credited : .paid }
        if dueOn < today { return .overdue }
        return paidCents > 0 ? .partiallyPaid : .due
    }

    public var label: String {
        switch self {
        case .due: tr("InvoiceStatus.due")
        case .partiallyPaid: tr("InvoiceStatus.partially_paid")
        case .paid: tr("InvoiceStatus.paid")
        case .overdue: tr("InvoiceStatus.overdue")
        case .credited: tr("InvoiceStatus.credited")
        }
    }
}
