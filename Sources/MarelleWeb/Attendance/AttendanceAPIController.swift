import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// Présences in the API: `GET /attendance?day=&activity=` (the day's lists), `POST
/// /attendance/{booking}` (a tick: only the fields sent change, `null` empties one) and
/// `POST /attendance` (a child who came without a booking). Staff only; animateurs included.
struct AttendanceAPIController {
    let attendance: AttendanceSheets

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/attendance") { request, context in
            let tenant = try context.requireTenant()
            _ = try context.requireAPIStaff(writing: false)
            let query = request.uri.queryParameters
            var problems: [FieldProblem] = []
            var day = ParisClock.date(of: Date())
            if let text = query.get("day") {
                if let parsed = LocalDate(iso: text) { day = parsed } else { problems.append(Self.dayProblem) }
            }
            var activityID: Int? = nil
            if let text = query.get("activity") {
                if let id = Int(text) {
                    activityID = id
                } else {
                    problems.append(FieldProblem(field: "activity", message: tr("common.le_numero_d_activite_est")))
                }
            }
            if !problems.isEmpty { throw Problem.invalid(problems) }
            let overview = try await attendance.overview(tenant: tenant, day: day, activityID: activityID, roster: false)
            if activityID != nil && overview.sheets.isEmpty { throw Problem.notFound }
            return JSONReply(AttendanceBody(day: day, sheets: overview.sheets))
        }
        api.post("/attendance/{id}") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: false)
            let id = try context.requirePathID()
            let body = try await JSONBody.decode(request, as: TickBody.self)
            let change = try body.change()
            do {
                let entry = try await attendance.tick(
                    tenant: tenant, staff: staff, bookingID: id, change: change, ip: context.remoteIP)
                return JSONReply(AttendanceChildBody(entry))
            } catch let failure as AttendanceSheets.Failure {
                throw Self.problem(failure)
            }
        }
        api.post("/attendance") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: false)
            let body = try await JSONBody.decode(request, as: AdmitBody.self)
            var problems: [FieldProblem] = []
            let day = LocalDate(iso: body.day)
            if day == nil { problems.append(Self.dayProblem) }
            let arrival = body.arrivedAt.map { AttendanceSheets.Time($0) }
            if case .some(.none) = arrival { problems.append(TickBody.timeProblem("arrivedAt")) }
            guard let day, problems.isEmpty else { throw Problem.invalid(problems) }
            do {
                let entry = try await attendance.admit(
                    tenant: tenant, staff: staff, childID: body.childId, activityID: body.activityId, day: day,
                    arrivedAt: arrival ?? nil, ip: context.remoteIP)
                return JSONReply(status: .created, AttendanceChildBody(entry))
            } catch let failure as AttendanceSheets.Failure {
                throw Self.problem(failure)
            }
        }
    }

    static var dayProblem: FieldProblem { FieldProblem(field: "day", message: tr("common.la_date_se_donne_sous")) }

    static func problem(_ failure: AttendanceSheets.Failure) -> Problem {
        switch failure {
        case .notFound: Problem.notFound
        case .notExpected:
            Problem(
                status: .conflict, title: tr("AttendanceAPIController.pas_sur_la_liste_du"),
                detail: tr("AttendanceAPIController.cette_reservation_n_est_pas"))
        case .invalid(let problems): Problem.invalid(problems)
        }
    }

    /// `POST /attendance`'s body.
    struct AdmitBody: Decodable {
        let childId: Int
        let activityId: Int
        let day: String
        let arrivedAt: String?
    }

    /// `POST /attendance/{booking}`'s body: a field left out keeps its value, `null` empties it.
    struct TickBody: Decodable {
        var arrivedAt: AttendanceSheets.Change<String> = .keep
        var leftAt: AttendanceSheets.Change<String> = .keep
        var pickedUpBy: AttendanceSheets.Change<String> = .keep
        var noShow: Bool? = nil

        enum CodingKeys: String, CodingKey { case arrivedAt, leftAt, pickedUpBy, noShow }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func change(_ key: CodingKeys) throws -> AttendanceSheets.Change<String> {
                guard c.contains(key) else { return .keep }
                if try c.decodeNil(forKey: key) { return .clear }
                return .set(try c.decode(String.self, forKey: key))
            }
            (arrivedAt, leftAt, pickedUpBy) = (try change(.arrivedAt), try change(.leftAt), try change(.pickedUpBy))
            noShow = try c.decodeIfPresent(Bool.self, forKey: .noShow)
        }

        static func timeProblem(_ field: String) -> FieldProblem {
            FieldProblem(field: field, message: tr("AttendanceAPIController.l_heure_se_donne_sous"))
        }

        /// The times read (wall time on the booking's day, or an instant); 422 naming the field.
        func change() throws -> AttendanceSheets.TickChange {
            var problems: [FieldProblem] = []
            func time(_ change: AttendanceSheets.Change<String>, _ field: String)
                -> AttendanceSheets.Change<AttendanceSheets.Time>
            {
                switch change {
                case .keep: return .keep
                case .clear: return .clear
                case .set(let text):
                    guard let time = AttendanceSheets.Time(text) else {
                        problems.append(Self.timeProblem(field))
                        return .keep
                    }
                    return .set(time)
                }
            }
            let result = AttendanceSheets.TickChange(
                arrivedAt: time(arrivedAt, "arrivedAt"), leftAt: time(leftAt, "leftAt"), pickedUpBy: pickedUpBy, noShow: noShow)
            if !problems.isEmpty { throw Problem.invalid(problems) }
            return result
        }
    }
}
