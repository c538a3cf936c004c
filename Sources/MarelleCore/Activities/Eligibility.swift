/// Who may attend an activity: some school levels, an age range on the day, or both (then
/// a child must fit both). With neither, everyone may.
public struct Eligibility: Sendable, Hashable, Codable {
    public let levels: Set<SchoolLevel>
    public let minimumAge: Int?
    public let maximumAge: Int?

    public init(levels: Set<SchoolLevel> = [], minimumAge: Int? = nil, maximumAge: Int? = nil) throws(EligibilityError) {
        if let minimumAge, minimumAge < 0 { throw .negativeAge }
        if let maximumAge, maximumAge < 0 { throw .negativeAge }
        if let minimumAge, minimumAge > Self.oldestAge { throw .ageTooLarge }
        if let maximumAge, maximumAge > Self.oldestAge { throw .ageTooLarge }
        if let minimumAge, let maximumAge, minimumAge > maximumAge { throw .minimumAboveMaximum }
        self.levels = levels
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
    }

    public static let everyone = try! Eligibility()

    /// The highest age a rule may name: the ages are stored as `integer`, and nobody is older.
    public static let oldestAge = 120

    public func allows(level: SchoolLevel?, birthDate: LocalDate, on date: LocalDate) -> Bool {
        if !levels.isEmpty {
            guard let level, levels.contains(level) else { return false }
        }
        let age = Self.age(birthDate: birthDate, on: date)
        if let minimumAge, age < minimumAge { return false }
        if let maximumAge, age > maximumAge { return false }
        return true
    }

    /// Completed years on `date`; a child born on 29 February has a birthday on 1 March in
    /// common years.
    public static func age(birthDate: LocalDate, on date: LocalDate) -> Int {
        var years = date.year - birthDate.year
        if (date.month, date.day) < (birthDate.month, birthDate.day) { years -= 1 }
        return max(0, years)
    }
}

public enum EligibilityError: Error, Equatable {
    case negativeAge
    case minimumAboveMaximum
    case ageTooLarge

    public var message: String {
        switch self {
        case .negativeAge: tr("Eligibility.un_age_ne_peut_pas")
        case .minimumAboveMaximum: tr("Eligibility.l_age_minimum_depasse_l")
        case .ageTooLarge: tr("Eligibility.un_age_ne_peut_pas_2", Eligibility.oldestAge)
        }
    }
}
