/// How a family paid at the desk.
public enum PaymentMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case cash, cheque, transfer, cesu
    case holidayVouchers = "holiday_vouchers"
    case cardTerminal = "card_terminal"

    public var label: String {
        switch self {
        case .cash: tr("PaymentMethod.cash")
        case .cheque: tr("PaymentMethod.cheque")
        case .transfer: tr("PaymentMethod.transfer")
        case .cesu: tr("PaymentMethod.cesu")
        case .holidayVouchers: tr("PaymentMethod.holiday_vouchers")
        case .cardTerminal: tr("PaymentMethod.card_terminal")
        }
    }

    /// A cheque needs its number; the others may carry a reference (transfer label, CESU numbers).
    public var needsReference: Bool { self == .cheque }

    /// How credit goes back to a family.
    public static let refundable: [PaymentMethod] = [.cash, .cheque, .transfer]
}
