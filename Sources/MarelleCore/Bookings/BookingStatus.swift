/// Where a booking line stands (SPEC section 4).
public enum BookingStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case requested, waiting, validated, refused
    case cancelRequested = "cancel_requested"
    case cancelled

    /// The statuses that hold a place in the activity's capacity.
    public static let holding: Set<BookingStatus> = [.requested, .validated, .cancelRequested]
    /// The statuses of a line still alive (one per child, activity and date).
    public static let live: Set<BookingStatus> = [.requested, .waiting, .validated, .cancelRequested]

    /// The status in words, in the reader's language.
    public var label: String {
        switch self {
        case .requested: tr("BookingStatus.demandee")
        case .waiting: tr("common.liste_d_attente")
        case .validated: tr("common.validee")
        case .refused: tr("common.refusee")
        case .cancelRequested: tr("common.annulation_demandee")
        case .cancelled: tr("common.annulee")
        }
    }
}

/// What a basket line asks for.
public enum BasketKind: String, Sendable, Hashable, Codable {
    case booking, cancellation

    /// The "Type" column of the Résumé.
    public var label: String { self == .booking ? tr("BasketKind.booking") : tr("BasketKind.cancellation") }
}
