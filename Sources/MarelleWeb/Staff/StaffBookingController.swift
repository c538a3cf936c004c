import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// Booking for a family: the form of the family's page (`POST /gestion/familles/{family}/reservations`:
/// a child, an activity, a date or a range of dates) and `POST /api/v1/families/{family}/bookings`.
/// Any staff member books with the parents' rules; the direction may also pass the deadlines.
struct StaffBookingController {
    let service: BookingService
    let familyPages: StaffFamiliesController

    func register(on router: Router<AppRequestContext>) {
        router.post("/gestion/familles/:family/reservations") { request, context in
            let familyID = try StaffPost.id(context, "family")
            let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: familyPages.csrf, writing: false).parts
            func refuse(_ message: String, _ status: HTTPResponse.Status = .unprocessableContent) async throws -> Response {
                try await familyPages.show(request, context, error: message, status: status)
            }
            guard let childID = Int(form.text("enfant")), let activityID = Int(form.text("activite")) else {
                return try await refuse(tr("common.choisissez_l_enfant_et_l"))
            }
            guard let first = LocalDate(iso: form.text("du")) else {
                return try await refuse(tr("StaffBookingController.indiquez_la_date_ou_la"))
            }
            let last = form.text("au").isEmpty ? first : LocalDate(iso: form.text("au"))
            guard let last, first <= last, last.daysSinceEpoch - first.daysSinceEpoch < 366 else {
                return try await refuse(tr("StaffBookingController.la_derniere_date_suit_la"))
            }
            let days = (0...(last.daysSinceEpoch - first.daysSinceEpoch)).map { first.adding(days: $0) }
            do {
                let result = try await service.book(
                    tenant: tenant, staff: staff, familyID: familyID, childID: childID, activityID: activityID, days: days,
                    onlyRunningDays: true, overridingDeadlines: form.text("outrepasser") == "1", ip: context.remoteIP)
                return try await familyPages.show(request, context, notice: Self.summary(result))
            } catch let failure as BookingService.StaffBookingFailure {
                switch failure {
                case .unknownFamily: throw HTTPError(.notFound)
                case .overrideNotAllowed: return try await refuse(Self.overrideMessage, .forbidden)
                default: return try await refuse(Self.message(failure))
                }
            }
        }
    }

    func registerAPI(on api: RouterGroup<AppRequestContext>) {
        api.post("/families/:family/bookings") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: false)
            guard let familyID = context.parameters.get("family", as: Int.self) else { throw Problem.notFound }
            let input = try await JSONBody.decode(request, as: Input.self)
            let days = input.days.compactMap { LocalDate(iso: $0) }
            guard days.count == input.days.count, (1...400).contains(days.count) else {
                throw Problem.invalid([.init(field: "days", message: tr("common.indiquez_de_1_a_400"))])
            }
            do {
                let result = try await service.book(
                    tenant: tenant, staff: staff, familyID: familyID, childID: input.childId, activityID: input.activityId,
                    days: days, overridingDeadlines: input.overrideDeadlines ?? false, ip: context.remoteIP)
                return JSONReply(status: .created, SubmissionBody(result))
            } catch let failure as BookingService.StaffBookingFailure {
                switch failure {
                case .unknownFamily: throw Problem.notFound
                case .overrideNotAllowed:
                    throw Problem(
                        status: .forbidden, title: tr("common.acces_refuse"), detail: Self.overrideMessage)
                case .unknownChild: throw Problem.invalid([.init(field: "childId", message: Self.message(failure))])
                case .unknownActivity: throw Problem.invalid([.init(field: "activityId", message: Self.message(failure))])
                case .noDays: throw Problem.invalid([.init(field: "days", message: Self.message(failure))])
                }
            }
        }
    }

    struct Input: Decodable {
        let childId: Int
        let activityId: Int
        let days: [String]
        let overrideDeadlines: Bool?
    }

    static var overrideMessage: String { tr("StaffBookingController.seule_la_direction_peut_reserver") }

    static func message(_ failure: BookingService.StaffBookingFailure) -> String {
        switch failure {
        case .unknownFamily: tr("StaffBookingController.cette_famille_n_existe_pas")
        case .unknownChild: tr("StaffBookingController.cet_enfant_n_est_pas")
        case .unknownActivity: tr("StaffBookingController.cette_activite_n_existe_pas")
        case .noDays: tr("StaffBookingController.l_activite_n_a_lieu")
        case .overrideNotAllowed: overrideMessage
        }
    }

    /// "3 date(s) : 2 demandée(s), 1 sur liste d'attente ; refusées : 12/10/2026 (Fermé)".
    static func summary(_ result: SubmitBasket.Result) -> String {
        let count = { (outcome: SubmitBasket.Outcome) in result.lines.filter { $0.outcome == outcome }.count }
        var parts: [String] = []
        if count(.validated) > 0 { parts.append(tr("StaffBookingController.1_validee_s", count(.validated))) }
        if count(.requested) > 0 { parts.append(tr("StaffBookingController.1_demandee_s", count(.requested))) }
        if count(.waiting) > 0 { parts.append(tr("StaffBookingController.1_sur_liste_d_attente", count(.waiting))) }
        let refused = result.lines.filter { $0.outcome == .refused }
        var text =
            tr("StaffBookingController.reservation_n_1_2_date", result.submissionID, result.lines.count)
            + parts.joined(separator: ", ")
        if !refused.isEmpty {
            text +=
                (parts.isEmpty ? "" : " ; ") + tr("StaffBookingController.refusee_s")
                + refused.map { "\($0.day.french) (\($0.reason ?? "refusée"))" }.joined(separator: ", ")
        }
        return text + tr("StaffBookingController.la_famille_est_prevenue_par")
    }
}
