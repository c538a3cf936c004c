/// The eleven public holidays of metropolitan France (Code du travail, L3133-1): fixed dates
/// and the three that follow Easter. Alsace-Moselle's two extra days are not included.
public enum FrenchPublicHolidays {
    /// Holidays of one year, with their French names.
    public static func holidays(in year: Int) -> [LocalDate: String] {
        let easter = easterSunday(year)
        var days: [LocalDate: String] = [:]
        func fixed(_ month: Int, _ day: Int, _ name: String) {
            if let d = LocalDate(year: year, month: month, day: day) { days[d] = name }
        }
        fixed(1, 1, tr("FrenchPublicHolidays.jour_de_l_an"))
        days[easter.adding(days: 1)] = tr("FrenchPublicHolidays.lundi_de_paques")
        fixed(5, 1, tr("FrenchPublicHolidays.fete_du_travail"))
        fixed(5, 8, tr("FrenchPublicHolidays.victoire_1945"))
        days[easter.adding(days: 39)] = tr("FrenchPublicHolidays.ascension")
        days[easter.adding(days: 50)] = tr("FrenchPublicHolidays.lundi_de_pentecote")
        fixed(7, 14, tr("FrenchPublicHolidays.fete_nationale"))
        fixed(8, 15, tr("FrenchPublicHolidays.assomption"))
        fixed(11, 1, tr("FrenchPublicHolidays.toussaint"))
        fixed(11, 11, tr("FrenchPublicHolidays.armistice_1918"))
        fixed(12, 25, tr("FrenchPublicHolidays.noel"))
        return days
    }

    /// The same days as `holidays(in:)`, without building the year's table: the calendar asks
    /// for every day of every activity it shows.
    public static func isHoliday(_ date: LocalDate) -> Bool {
        switch (date.month, date.day) {
        case (1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25): return true
        default: break
        }
        // Easter Monday, Ascension and Whit Monday fall between March 23 and June 14.
        guard (3...6).contains(date.month) else { return false }
        let offset = date.daysSinceEpoch - easterSunday(date.year).daysSinceEpoch
        return offset == 1 || offset == 39 || offset == 50
    }

    /// Easter Sunday of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm).
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)!
    }
}

extension LocalDate {
    /// Monday to Friday and not a public holiday.
    public var isWorkingDay: Bool {
        weekday <= 5 && !FrenchPublicHolidays.isHoliday(self)
    }
}
