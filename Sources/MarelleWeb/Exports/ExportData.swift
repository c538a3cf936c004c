import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// One export read for a request: its rows, written as CSV (the pages' downloads and the
/// API's `.csv`) or JSON (the API without `.csv`). Query: `from`, `to` (`AAAA-MM-JJ`,
/// the current month by default), `activity`; the CAF hours take `month` (`AAAA-MM`).
enum ExportData {
    case bookings([ExportStore.BookingRow])
    case attendance([ExportStore.AttendanceRow])
    case amounts([ExportStore.AmountRow])
    case cafHours([Exports.CAFRow])

    enum Kind: String, CaseIterable {
        case bookings, attendance, amounts
        case cafHours = "caf-hours"

        /// The downloaded file's name, in French as the spreadsheet will show it.
        var fileName: String {
            switch self {
            case .bookings: "reservations"
            case .attendance: "presences"
            case .amounts: "montants"
            case .cafHours: "heures-caf"
            }
        }
    }

    /// The rows of `kind` for the query, or the problems naming its fields.
    static func read(_ kind: Kind, exports: Exports, tenant: Tenant, query: (String) -> String?) async throws
        -> Result<(ExportData, suffix: String), Exports.Problems>
    {
        let today = ParisClock.date(of: Date())
        if kind == .cafHours {
            let text = query("month") ?? ""
            let month =
                text.isEmpty ? LocalDate(year: today.year, month: today.month, day: 1) : Exports.month(text)
            guard let month else {
                return .failure(.init([FieldProblem(field: "month", message: tr("ExportData.le_mois_se_donne_sous"))]))
            }
            let rows = try await exports.cafHours(tenant: tenant, month: month, today: today)
            return .success((.cafHours(rows), month.isoMonth))
        }
        let range: Exports.Range
        switch Exports.Range.parse(from: query("from"), to: query("to"), activity: query("activity"), today: today) {
        case .failure(let problems): return .failure(problems)
        case .success(let parsed): range = parsed
        }
        let suffix = "\(range.from.iso)-\(range.to.iso)"
        switch kind {
        case .bookings: return .success((.bookings(try await exports.bookings(tenant: tenant, range)), suffix))
        case .attendance: return .success((.attendance(try await exports.attendance(tenant: tenant, range)), suffix))
        case .amounts: return .success((.amounts(try await exports.amounts(tenant: tenant, range)), suffix))
        case .cafHours: return .success((.cafHours([]), suffix))
        }
    }

    var csv: String {
        switch self {
        case .bookings(let rows): ExportTables.bookings(rows)
        case .attendance(let rows): ExportTables.attendance(rows)
        case .amounts(let rows): ExportTables.amounts(rows)
        case .cafHours(let rows): ExportTables.cafHours(rows)
        }
    }

    func download(_ kind: Kind, suffix: String) -> Response {
        FileDownload.csv(csv, fileName: "\(kind.fileName)-\(suffix)").response
    }

    func json(from request: Request, context: some RequestContext) throws -> Response {
        switch self {
        case .bookings(let rows): try JSONReply(rows).response(from: request, context: context)
        case .attendance(let rows): try JSONReply(rows).response(from: request, context: context)
        case .amounts(let rows): try JSONReply(rows).response(from: request, context: context)
        case .cafHours(let rows): try JSONReply(rows).response(from: request, context: context)
        }
    }
}
