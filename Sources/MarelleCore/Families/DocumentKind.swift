/// What a document sent by a family is for.
public enum DocumentKind: String, Sendable, Hashable, CaseIterable, Codable {
    case vaccinations, insurance, caf, absence, other

    public var label: String {
        switch self {
        case .vaccinations: tr("DocumentKind.carnet_de_vaccinations")
        case .insurance: tr("DocumentKind.insurance")
        case .caf: tr("DocumentKind.caf")
        case .absence: tr("DocumentKind.absence")
        case .other: tr("DocumentKind.autre_document")
        }
    }

    /// The kinds a parent chooses on "Transmettre des documents" (absence certificates come
    /// with the absence form).
    public static let uploadable: [DocumentKind] = [.vaccinations, .insurance, .caf, .other]
}

/// Where a document stands with the association.
public enum DocumentStatus: String, Sendable, Hashable, Codable {
    case received, accepted, refused

    public var label: String {
        switch self {
        case .received: tr("DocumentKind.recu_en_attente_de_verification")
        case .accepted: tr("DocumentKind.accepte")
        case .refused: tr("common.refuse")
        }
    }
}
