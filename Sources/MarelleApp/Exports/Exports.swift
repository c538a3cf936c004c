import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// The exports staff take to a spreadsheet or to the CAF: bookings, the attendance register,
/// amounts per family and month, and the CAF hours of a month.
public struct Exports: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The dates an export covers: at most a year and a day (a school year with its summer).
    public struct Range: Sendable, Equatable {
        public let from: LocalDate
        public let to: LocalDate
        public let activityID: Int?

        /// `from` and `to` as `AAAA-MM-JJ` (the current month when both are left out), or the
        /// problems naming the fields.
        public static func parse(from: String?, to: String?, activity: String?, today: LocalDate) -> Result<Range, Problems> {
            var problems: [FieldProblem] = []
            let first = LocalDate(year: today.year, month: today.month, day: 1)!
            func day(_ text: String?, _ field: String, _ fallback: LocalDate) -> LocalDate {
                guard let text, !text.isEmpty else { return fallback }
                guard let day = LocalDate(iso: text) else {
                    problems.append(FieldProblem(field: field, message: tr("common.la_date_se_donne_sous")))
                    return fallback
                }
                return day
            }
            let start = day(from, "from", first)
            let end = day(to, "to", first.adding(days: LocalDate.daysIn(month: first.month, year: first.year) - 1))
            var activityID: Int? = nil
            if let activity, !activity.isEmpty {
                if let id = Int(activity) {
                    activityID = id
                } else {
                    problems.append(FieldProblem(field: "activity", message: tr("common.le_numero_d_activite_est")))
                }
            }
            if problems.isEmpty && start > end {
                problems.append(FieldProblem(field: "to", message: tr("Exports.la_fin_de_la_periode")))
            } else if problems.isEmpty && end.daysSinceEpoch - start.daysSinceEpoch > 366 {
                problems.append(FieldProblem(field: "to", message: tr("Exports.une_exportation_couvre_au_plus")))
            }
            return problems.isEmpty ? .success(Range(from: start, to: end, activityID: activityID)) : .failure(Problems(problems))
        }
    }

    public struct Problems: Error, Sendable, Equatable {
        public let problems: [FieldProblem]

        public init(_ problems: [FieldProblem]) {
            self.problems = problems
        }
    }

    /// One line of the CAF report: a child, an activity, the days they came and the hours.
    public struct CAFRow: Sendable, Hashable, Encodable {
        public let childId: Int
        public let childLastName: String
        public let childFirstName: String
        public let birthDate: LocalDate
        public let ageBand: String
        public let family: String
        public let cafNumber: String
        public let activityId: Int
        public let activity: String
        public let days: Int
        public let minutes: Int
    }

    public func bookings(tenant: Tenant, _ range: Range) async throws -> [ExportStore.BookingRow] {
        try await database.withTenant(try tenant.scope()) { tx in
            try ExportStore().bookings(tx, from: range.from, to: range.to, activityID: range.activityID)
        }
    }

    public func attendance(tenant: Tenant, _ range: Range) async throws -> [ExportStore.AttendanceRow] {
        try await database.withTenant(try tenant.scope()) { tx in
            try ExportStore().attendance(tx, from: range.from, to: range.to, activityID: range.activityID)
        }
    }

    public func amounts(tenant: Tenant, _ range: Range) async throws -> [ExportStore.AmountRow] {
        try await database.withTenant(try tenant.scope()) { tx in
            try ExportStore().amounts(tx, from: range.from, to: range.to, activityID: range.activityID)
        }
    }

    /// `AAAA-MM`; nil when it is not a month.
    public static func month(_ text: String) -> LocalDate? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        return LocalDate(year: year, month: month, day: 1)
    }

    /// The CAF hours of the month beginning `first`, counted up to `today` (a day to come has
    /// not been attended), by the rule of `CAFHours`.
    public func cafHours(tenant: Tenant, month first: LocalDate, today: LocalDate) async throws -> [CAFRow] {
        let last = min(first.adding(days: LocalDate.daysIn(month: first.month, year: first.year) - 1), today)
        guard first <= last else { return [] }
        let rows = try await database.withTenant(try tenant.scope()) { tx in
            try ExportStore().attended(tx, from: first, to: last)
        }
        var result: [CAFRow] = []
        for row in rows {
            guard
                let minutes = CAFHours.minutes(
                    day: row.day, startsAt: row.startsAt, endsAt: row.endsAt, arrivedAt: row.arrivedAt, leftAt: row.leftAt,
                    noShow: row.noShow, declaredAbsent: row.declaredAbsent)
            else { continue }
            // Rows come by child then activity: a line per (child, activity).
            if let last = result.last, last.childId == row.childID, last.activityId == row.activityID {
                result[result.count - 1] = CAFRow(
                    childId: last.childId, childLastName: last.childLastName, childFirstName: last.childFirstName,
                    birthDate: last.birthDate, ageBand: last.ageBand, family: last.family, cafNumber: last.cafNumber,
                    activityId: last.activityId, activity: last.activity, days: last.days + 1, minutes: last.minutes + minutes)
            } else {
                result.append(
                    CAFRow(
                        childId: row.childID, childLastName: row.childLastName, childFirstName: row.childFirstName,
                        birthDate: row.birthDate, ageBand: CAFHours.ageBand(birthDate: row.birthDate, month: first),
                        family: row.family, cafNumber: row.cafNumber, activityId: row.activityID, activity: row.activity,
                        days: 1, minutes: minutes))
            }
        }
        return result
    }
}
