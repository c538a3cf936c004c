import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleRendering
import MarelleStore

/// "Formulaire d'absence": the family ticks booked dates, gives a reason and may attach a
/// certificate (the documents' rules: pdf, png, gif or jpg, 10 MB); staff see the absences of
/// a day at `/gestion/absences`. `POST /api/v1/absences` does the same without the file.
struct AbsencePages {
    let useCases: UseCases
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let documents: DocumentService
    var absences: Absences { useCases.absences }

    func register(on router: Router<AppRequestContext>) {
        router.get("/absence") { request, context in try await page(request, context) }
        router.post("/absence") { request, context in try await declare(request, context) }
        router.get("/gestion/absences") { request, context in try await staffList(request, context) }
    }

    /// The API route, registered with the API's (before the pages' cookie middleware).
    func registerAPI(on api: RouterGroup<AppRequestContext>) {
        api.post("/absences") { request, context in try await declareAPI(request, context) }
    }

    func page(
        _ request: Request, _ context: AppRequestContext, problems: [FieldProblem] = [], notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (tenant, _, familyID) = try context.requireParent(request)
        let today = ParisClock.date(of: Date())
        let (upcoming, declared) = try await absences.form(tenant: tenant, familyID: familyID, today: today)
        let absent = Set(declared.map(\.bookingID))
        let model = AbsencePage(
            layout: LayoutModel(tenant: tenant, title: tr("AbsencePages.formulaire_d_absence"), context: context),
            bookings: upcoming.filter {
                [.requested, .validated, .cancelRequested].contains($0.status) && !absent.contains($0.id)
            }.map {
                .init(id: $0.id, label: "\($0.day.french) · \($0.activityName) · \($0.childName)")
            },
            declared: declared.map {
                .init(
                    label: "\($0.day.french) · \($0.activityName) · \($0.childName)", reason: $0.reason,
                    certificate: $0.documentID != nil)
            },
            errors: FormErrors(problems), notice: notice)
        return try HTML(status: status, body: renderer.render("absence", model), personal: true).response(
            from: request, context: context)
    }

    func declare(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, account, familyID) = try context.requireParent(request)
        let upload: MultipartUpload
        do {
            upload = try await MultipartUpload.read(request, fileField: "certificat")
        } catch MultipartUpload.Failure.tooLarge {
            var response = try await page(
                request, context, problems: [.init(field: "certificat", message: tr("AbsencePages.ce_fichier_depasse_10_mo"))],
                status: .contentTooLarge)
            response.headers[.connection] = "close"
            return response
        } catch {
            return try await page(
                request, context,
                problems: [.init(field: "certificat", message: tr("AbsencePages.le_formulaire_n_a_pas"))],
                status: .badRequest)
        }
        try csrf.verify(sent: upload.fields["_csrf"], request, context)
        let ids = (upload.lists["reservations"] ?? []).compactMap { Int($0) }
        let reason = (upload.fields["motif"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldProblem] = []
        if ids.isEmpty { problems.append(.init(field: "reservations", message: tr("AbsencePages.cochez_au_moins_une_date"))) }
        if reason.isEmpty || reason.count > 1000 {
            problems.append(.init(field: "motif", message: tr("AbsencePages.indiquez_le_motif_de_l")))
        }
        guard problems.isEmpty else { return try await page(request, context, problems: problems, status: .unprocessableContent) }
        var documentID: Int?
        if !upload.fileBytes.isEmpty {
            var certificate = upload
            certificate.fields["kind"] = DocumentKind.absence.rawValue
            certificate.fields["childId"] = nil
            switch try await documents.store(
                tenant: tenant, actor: account, familyID: familyID, upload: certificate.document, ip: context.remoteIP,
                allowedKinds: [.absence])
            {
            case .stored(let id): documentID = id
            case .invalid(let found):
                return try await page(
                    request, context, problems: found.map { .init(field: "certificat", message: $0.message) },
                    status: .unprocessableContent)
            case .notFound: throw HTTPError(.notFound)
            }
        }
        let recorded = try await record(
            tenant: tenant, account: account, familyID: familyID, ids: ids, reason: reason, documentID: documentID,
            ip: context.remoteIP)
        guard recorded > 0 else {
            return try await page(
                request, context,
                problems: [.init(field: "reservations", message: tr("AbsencePages.ces_dates_ne_sont_pas"))],
                status: .unprocessableContent)
        }
        return try await page(request, context, notice: tr("AbsencePages.absence_enregistree_pour_1_date", recorded))
    }

    func record(tenant: Tenant, account: Account, familyID: Int, ids: [Int], reason: String, documentID: Int?, ip: String?)
        async throws -> Int
    {
        try await absences.declare(
            tenant: tenant, account: account, familyID: familyID, ids: ids, reason: reason, documentID: documentID, ip: ip)
    }

    struct Input: Decodable {
        let bookingIds: [Int]
        let reason: String
    }

    func declareAPI(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<RecordedBody> {
        let (account, familyID) = try context.requireAPIFamily(writing: true)
        let input = try await JSONBody.decode(request, as: Input.self)
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !input.bookingIds.isEmpty, (1...1000).contains(reason.count) else {
            throw Problem.invalid([.init(field: "reason", message: tr("AbsencePages.indiquez_les_dates_bookingids_et"))])
        }
        let recorded = try await record(
            tenant: try context.requireTenant(), account: account, familyID: familyID, ids: input.bookingIds, reason: reason,
            documentID: nil, ip: context.remoteIP)
        guard recorded > 0 else { throw Problem.notFound }
        return JSONReply(status: .created, RecordedBody(recorded: recorded))
    }

    func staffList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request)
        let day = request.uri.queryParameters.get("jour").flatMap { LocalDate(iso: $0) } ?? ParisClock.date(of: Date())
        let list = try await absences.day(tenant: tenant, day)
        let model = StaffAbsencesPage(
            layout: LayoutModel(tenant: tenant, title: tr("AbsencePages.absences"), context: context), day: day.iso,
            dayFrench: day.french,
            absences: list.map {
                .init(
                    child: $0.childName, family: $0.familyName, activity: $0.activityName, reason: $0.reason,
                    document: $0.documentID)
            })
        return try HTML(body: renderer.render("staff_absences", model), personal: true).response(from: request, context: context)
    }
}

/// "Formulaire d'absence" (`absence.mustache`): the dates that may be declared absent, and
/// those already declared.
struct AbsencePage {
    let layout: LayoutModel
    let bookings: [Booking]
    let declared: [Declared]
    let errors: FormErrors
    let notice: String?

    struct Booking {
        let id: Int
        let label: String
    }

    struct Declared {
        let label: String
        let reason: String
        /// Whether a medical certificate came with it.
        let certificate: Bool
    }
}

/// The staff's absences of one day (`staff_absences.mustache`).
struct StaffAbsencesPage {
    let layout: LayoutModel
    let day: String
    let dayFrench: String
    let absences: [Absence]

    struct Absence {
        let child: String
        let family: String
        let activity: String
        let reason: String
        /// The certificate's document id, if one came with it.
        let document: Int?
    }
}
