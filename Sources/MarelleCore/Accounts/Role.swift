/// What an account may do in its association.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    /// A parent (responsable légal): their own family only.
    case parent
    /// Staff who run activities: validations, attendance.
    case animateur
    /// Staff who run the association: everything, including settings and invitations.
    case direction

    public var isStaff: Bool { self != .parent }

    /// The association's management data (activities, periods, families): any staff member
    /// reads it; only the direction changes it.
    public func mayManage(writing: Bool) -> Bool {
        isStaff && (!writing || self == .direction)
    }

    public var label: String {
        switch self {
        case .parent: "Parent"
        case .animateur: "Animateur"
        case .direction: "Direction"
        }
    }
}
