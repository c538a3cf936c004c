/// Why a bank sent a direct debit back (ISO 20022 external return reason codes, the ones French
/// banks use for SEPA Core), and whether the mandate can still be used.
public enum RejectReason: String, Sendable, Hashable, CaseIterable, Codable {
    case AC01, AC04, AC06, AG01, AM04, MD01, MD02, MD06, MD07, MS02, MS03, SL01, RR04

    public var label: String {
        switch self {
        case .AC01: tr("RejectReason.AC01")
        case .AC04: tr("RejectReason.AC04")
        case .AC06: tr("RejectReason.AC06")
        case .AG01: tr("RejectReason.AG01")
        case .AM04: tr("RejectReason.AM04")
        case .MD01: tr("RejectReason.MD01")
        case .MD02: tr("RejectReason.MD02")
        case .MD06: tr("RejectReason.MD06")
        case .MD07: tr("RejectReason.MD07")
        case .MS02: tr("RejectReason.MS02")
        case .MS03: tr("RejectReason.MS03")
        case .SL01: tr("RejectReason.SL01")
        case .RR04: tr("RejectReason.RR04")
        }
    }

    /// The account is wrong, closed or blocked, there is no valid mandate, or the payer has
    /// died: presenting again would fail again, so the mandate is revoked.
    public var endsMandate: Bool { [.AC01, .AC04, .AC06, .AG01, .MD01, .MD07].contains(self) }

    /// "AM04 · Provision insuffisante"; an unknown code read from a bank file as it came.
    public static func describe(_ code: String) -> String {
        RejectReason(rawValue: code).map { "\($0.rawValue) · \($0.label)" } ?? code
    }
}
