import Foundation
import HTTPTypes
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// Booking over `/api/v1`: the basket (add dates, add cancellations, remove, empty), its
/// submission (with an optional `Idempotency-Key`), the family's bookings, and the staff's
/// queue and decisions.
struct BookingAPIController {
    let useCases: UseCases
    let service: BookingService
    var basket: Basket { useCases.basket }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/basket") { _, context in try await show(context) }
        api.post("/basket/lines") { request, context in try await add(request, context) }
        api.post("/basket/cancellations") { request, context in try await addCancellations(request, context) }
        api.delete("/basket/lines/:id") { _, context in try await remove(context) }
        api.delete("/basket") { _, context in try await clear(context) }
        api.get("/bookings") { request, context in try await bookings(request, context) }
        api.post("/bookings/withdrawals") { request, context in
            let (tenant, account, familyID) = try parent(context)
            let input = try await JSONBody.decode(request, as: CancelInput.self)
            guard (1...1000).contains(input.bookingIds.count) else {
                throw Problem.invalid([.init(field: "bookingIds", message: tr("BookingAPIController.indiquez_de_1_a_1000"))])
            }
            let withdrawn = try await service.withdraw(
                tenant: tenant, account: account, familyID: familyID, ids: input.bookingIds, ip: context.remoteIP)
            return JSONReply(WithdrawnBody(withdrawn: withdrawn))
        }
        api.get("/queue") { request, context in try await queue(request, context) }
        api.post("/queue/decisions") { request, context in try await decide(request, context) }
    }

    /// "Valider" checks its token in the submission's own transaction (the deferred
    /// `BearerMiddleware`): on an opening morning that is one transaction a request, not two.
    func registerCheckingCaller(on api: RouterGroup<AppRequestContext>) {
        api.post("/basket/submit") { request, context in try await submit(request, context) }
    }

    func parent(_ context: AppRequestContext) throws -> (Tenant, Account, Int) {
        let (account, familyID) = try context.requireAPIFamily(writing: true)
        return (try context.requireTenant(), account, familyID)
    }

    func show(_ context: AppRequestContext) async throws -> JSONReply<BasketBody> {
        let (tenant, _, familyID) = try parent(context)
        let lines = try await basket.lines(tenant: tenant, familyID: familyID)
        return JSONReply(BasketBody(lines: lines.map(BasketBody.Line.init)))
    }

    struct AddInput: Decodable {
        let childId: Int
        let activityId: Int
        let days: [String]
    }

    func add(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<AddedBody> {
        let (tenant, _, familyID) = try parent(context)
        let input = try await JSONBody.decode(request, as: AddInput.self)
        let days = input.days.compactMap { LocalDate(iso: $0) }
        guard days.count == input.days.count, (1...400).contains(days.count) else {
            throw Problem.invalid([.init(field: "days", message: tr("common.indiquez_de_1_a_400"))])
        }
        let added = try await basket.addDates(
            tenant: tenant, account: try context.requireAPIAccount(), familyID: familyID, childID: input.childId,
            activityID: input.activityId,
            days: days)
        guard let added else { throw Problem.notFound }
        return JSONReply(status: .created, AddedBody(added: added))
    }

    struct CancelInput: Decodable { let bookingIds: [Int] }

    func addCancellations(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<AddedBody> {
        let (tenant, _, familyID) = try parent(context)
        let input = try await JSONBody.decode(request, as: CancelInput.self)
        guard
            let added = try await basket.addCancellations(
                tenant: tenant, familyID: familyID, bookingIDs: input.bookingIds, allOrNothing: true),
            !input.bookingIds.isEmpty
        else {
            throw Problem.invalid([
                .init(
                    field: "bookingIds",
                    message:
                        tr("BookingAPIController.seules_les_reservations_validees_de")
                )
            ])
        }
        return JSONReply(status: .created, AddedBody(added: added))
    }

    func remove(_ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try parent(context)
        let id = try context.requirePathID()
        guard try await basket.remove(tenant: tenant, familyID: familyID, lineID: id) else {
            throw Problem.notFound
        }
        return Response(status: .noContent)
    }

    func clear(_ context: AppRequestContext) async throws -> Response {
        let (tenant, _, familyID) = try parent(context)
        try await basket.clear(tenant: tenant, familyID: familyID)
        return Response(status: .noContent)
    }

    struct SubmitInput: Decodable { let lines: [AddInput]? }

    /// "Valider" the basket; a body `{"lines": [...]}` (same shape as `POST /basket/lines`)
    /// adds its dates first, in the same transaction: a phone app books in one request.
    func submit(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<SubmissionBody> {
        guard let caller = context.caller else { throw Problem.unauthorized() }
        let tenant = try context.requireTenant()
        let body = try await JSONBody.read(request, upTo: 64 * 1024)
        var adding: [BookingService.NewLine] = []
        if !body.isEmpty {
            let input: SubmitInput
            do { input = try JSONDecoder().decode(SubmitInput.self, from: body) } catch {
                throw Problem.badRequest(
                    tr("BookingAPIController.envoyez_un_objet_json_lines")
                )
            }
            for line in input.lines ?? [] {
                let days = line.days.compactMap { LocalDate(iso: $0) }
                guard days.count == line.days.count, (1...400).contains(days.count) else {
                    throw Problem.invalid([
                        .init(field: "lines", message: tr("BookingAPIController.indiquez_de_1_a_400"))
                    ])
                }
                adding += days.map { (line.childId, line.activityId, $0) }
            }
            guard adding.count <= 400 else {
                throw Problem.invalid([.init(field: "lines", message: tr("BookingAPIController.au_plus_400_dates_par"))])
            }
        }
        let key = request.headers[HTTPField.Name("Idempotency-Key")!]
        if let key,
            !(1...200).contains(key.utf8.count) || key.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E })
        {
            throw Problem.badRequest(
                tr("BookingAPIController.l_en_tete_idempotency_key"))
        }
        switch try await service.submit(
            tenant: tenant, caller: caller, idempotencyKey: key,
            requestHash: BookingService.hash(body), adding: adding, ip: context.remoteIP)
        {
        case .done(let result): return JSONReply(status: .created, SubmissionBody(result))
        case .emptyBasket: throw Problem.invalid([.init(field: "basket", message: tr("BookingAPIController.le_panier_est_vide"))])
        case .unknownLine: throw Problem.notFound
        case .keyReused:
            throw Problem(
                status: .unprocessableContent, title: tr("BookingAPIController.cle_deja_utilisee"),
                detail: tr("BookingAPIController.cette_idempotency_key_a_deja"))
        }
    }

    func bookings(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<[BookingBody]> {
        let (tenant, _, familyID) = try parent(context)
        let month = request.uri.queryParameters.get("month").flatMap { LocalDate(iso: $0 + "-01") }
        let from = month ?? LocalDate(iso: "1970-01-01")!
        let to =
            month.map { $0.adding(days: LocalDate.daysIn(month: $0.month, year: $0.year) - 1) } ?? LocalDate(iso: "9999-12-31")!
        let child = request.uri.queryParameters.get("child").flatMap { Int($0) }
        let lines = try await basket.bookings(tenant: tenant, familyID: familyID, childID: child, from: from, to: to)
        return JSONReply(lines.map(BookingBody.init))
    }

    func queue(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<[BookingBody]> {
        _ = try context.requireAPIStaff(writing: false)
        let activity = request.uri.queryParameters.get("activity").flatMap { Int($0) }
        let day = request.uri.queryParameters.get("day").flatMap { LocalDate(iso: $0) }
        let lines = try await basket.queue(tenant: try context.requireTenant(), activityID: activity, day: day)
        return JSONReply(lines.map(BookingBody.init))
    }

    struct DecisionInput: Decodable {
        let bookingIds: [Int]
        let decision: String
        let reason: String?
    }

    func decide(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<DecisionsBody> {
        let staff = try context.requireAPIStaff(writing: true)
        let input = try await JSONBody.decode(request, as: DecisionInput.self)
        guard ["validate", "refuse"].contains(input.decision), !input.bookingIds.isEmpty, input.bookingIds.count <= 1000 else {
            throw Problem.invalid([
                .init(field: "decision", message: tr("BookingAPIController.indiquez_validate_ou_refuse_et"))
            ])
        }
        if let problem = BookingService.reasonProblem(validate: input.decision == "validate", reason: input.reason) {
            throw Problem.invalid([.init(field: "reason", message: problem)])
        }
        let decisions = try await service.decide(
            tenant: try context.requireTenant(), staff: staff, ids: input.bookingIds,
            validate: input.decision == "validate", reason: input.reason, ip: context.remoteIP)
        return JSONReply(DecisionsBody(decisions))
    }
}
