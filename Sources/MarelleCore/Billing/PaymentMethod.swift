/// How a family paid: at the desk, or online (confirmed by the provider's server).
public enum PaymentMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case cash, cheque, transfer, cesu
    case holidayVouchers = "holiday_vouchers"
    case cardTerminal = "card_terminal"
    case online
    case directDebit = "direct_debit"

    public var label: String {
        switch self {
        case .cash: tr("PaymentMethod.cash")
        case .cheque: tr("PaymentMethod.cheque")
        case .transfer: tr("PaymentMethod.transfer")
        case .cesu: tr("PaymentMethod.cesu")
        case .holidayVouchers: tr("PaymentMethod.holiday_vouchers")
        case .cardTerminal: tr("PaymentMethod.card_terminal")
        case .online: tr("PaymentMethod.online")
        case .directDebit: tr("PaymentMethod.direct_debit")
        }
    }

    /// A cheque needs its number; the others may carry a reference (transfer label, CESU numbers).
    public var needsReference: Bool { self == .cheque }

    /// What the desk records by hand (an online payment is recorded by its provider's word
    /// only, a direct debit by its batch).
    public static let desk: [PaymentMethod] = allCases.filter { $0 != .online && $0 != .directDebit }

    /// How credit goes back to a family.
    public static let refundable: [PaymentMethod] = [.cash, .cheque, .transfer]
}
