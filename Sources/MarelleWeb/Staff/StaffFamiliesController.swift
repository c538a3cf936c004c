import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// `/gestion/familles`: the families with a search, and each family's page: its cards (the
/// same edit pages as the parents', without the consents), its documents to accept or
/// refuse, its accounts and consents, and the staff's notes.
struct StaffFamiliesController {
    let useCases: UseCases
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let invitations: InvitationService
    var families: Families { useCases.families }

    func register(on router: Router<AppRequestContext>) {
        router.get("/gestion/familles") { request, context in try await list(request, context) }
        router.get("/gestion/familles/:family") { request, context in try await show(request, context) }
        router.post("/gestion/familles/:family/notes") { request, context in try await saveNotes(request, context) }
        router.post("/gestion/familles/:family/invitation") { request, context in try await invite(request, context) }
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        _ = try context.requireStaff(request)
        let search = String(
            ControlCharacters.removed(from: request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespaces)
                .prefix(100))
        let incomplete = request.uri.queryParameters.get("incomplets") != nil
        let found = try await families.list(tenant: tenant, search: search, incompleteOnly: incomplete)
        let model = ListPage(
            layout: LayoutModel(tenant: tenant, title: tr("StaffFamiliesController.familles"), context: context), search: search,
            searched: !search.isEmpty || incomplete, incomplete: incomplete,
            families: found.map {
                .init(
                    id: $0.id, name: $0.name, members: $0.members,
                    pending: $0.documentsToReview == 0 ? nil : tr("StaffFamiliesController.1_a_verifier", $0.documentsToReview))
            }, searchShown: search.isEmpty ? nil : search)
        return try HTML(body: renderer.render("staff_families", model), personal: true).response(from: request, context: context)
    }

    func show(
        _ request: Request, _ context: AppRequestContext, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request)
        guard let id = context.parameters.get("family", as: Int.self) else { throw HTTPError(.notFound) }
        let base = "/gestion/familles/\(id)"
        let today = ParisClock.date(of: Date())
        guard let record = try await families.record(tenant: tenant, familyID: id, today: today) else {
            throw HTTPError(.notFound)
        }
        let family = record.file.family
        let activities = try await useCases.activities.activities(tenant: tenant)
        let model = FamilyPage(
            layout: LayoutModel(tenant: tenant, title: tr("common.famille"), context: context),
            family: .init(id: family.id, name: family.name, notes: family.notes, createdAt: ParisTime.format(family.createdAt)),
            cards: FamilyCards(guardians: record.file.guardians, children: record.file.children, base: base),
            documents: record.documents.map(DocumentPages.Row.init), back: base,
            accounts: record.accounts.map {
                .init(
                    email: $0.email,
                    state: $0.isDisabled
                        ? tr("StaffFamiliesController.desactive")
                        : ($0.hasPassword ? "actif" : tr("StaffFamiliesController.invitation_envoyee")))
            },
            bookings: record.bookings.map {
                .init(
                    day: $0.day.french, child: $0.childName, activity: $0.activityName, status: $0.status.label,
                    price: Money(cents: $0.priceCents).description)
            },
            consents: record.consents.suffix(20).reversed().map {
                .init(
                    email: $0.email, subject: Self.consentSubject($0.subject, record.file), version: $0.version,
                    at: ParisTime.format($0.acceptedAt))
            },
            bookingChildren: record.file.children.map { .init(id: $0.id, name: "\($0.draft.firstName) \($0.draft.lastName)") },
            bookingActivities: activities.map { .init(id: $0.id, name: $0.draft.name, selected: false) },
            today: today.iso, canWrite: staff.role.mayManage(writing: true), error: error,
            notice: request.uri.queryParameters.get("enregistre") != nil
                ? tr("common.modifications_enregistrees") : notice)
        return try HTML(status: status, body: renderer.render("staff_family", model), personal: true).response(
            from: request, context: context)
    }

    /// A consent's subject in words: "fiche de Léa Martin certifiée", "traitement des données".
    static func consentSubject(_ subject: String, _ file: Families.File) -> String {
        let parts = subject.split(separator: ":")
        let id = parts.count == 2 ? Int(parts[1]) : nil
        switch parts.first {
        case "guardian":
            let name = file.guardians.first { $0.id == id }?.displayName ?? tr("StaffFamiliesController.un_responsable")
            return tr("StaffFamiliesController.fiche_de_1_certifiee_traitement", name)
        case "child":
            let child = file.children.first { $0.id == id }.map { "\($0.draft.firstName) \($0.draft.lastName)" }
            return tr("StaffFamiliesController.fiche_de_1_certifiee_traitement", child ?? tr("StaffFamiliesController.a_child"))
        default: return tr("StaffFamiliesController.traitement_des_donnees_accepte")
        }
    }

    func saveNotes(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try StaffPost.id(context, "family")
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let notes = form.text("notes")
        guard notes.count <= 5000 else {
            return try await show(
                request, context, error: tr("common.les_notes_sont_limitees_a"), status: .unprocessableContent)
        }
        let saved = try await families.setNotes(tenant: tenant, actor: staff, familyID: id, notes: notes, ip: context.remoteIP)
        guard saved else { throw HTTPError(.notFound) }
        return Response(status: .seeOther, headers: [.location: "/gestion/familles/\(id)?enregistre=1"])
    }

    func invite(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try StaffPost.id(context, "family")
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        guard try await families.find(tenant: tenant, familyID: id) != nil else { throw HTTPError(.notFound) }
        do {
            let (account, _) = try await invitations.invite(
                tenant: tenant, email: form.text("email"), role: .parent, familyName: nil, existingFamily: id, by: .account(staff)
            )
            return try await show(request, context, notice: tr("common.invitation_envoyee_a_1", account.email))
        } catch let failure as InvitationService.Failure {
            return try await show(request, context, error: failure.message, status: .unprocessableContent)
        }
    }

    /// "Familles" (`staff_families.mustache`): the list, searched by name.
    struct ListPage {
        let layout: LayoutModel
        let search: String
        let searched: Bool
        /// Only the files to chase: no child, or no guardian with a name and a phone.
        let incomplete: Bool
        let families: [Family]
        /// The search typed, nil when none (an empty string would still open its section).
        let searchShown: String?

        struct Family {
            let id: Int
            let name: String
            let members: String
            /// "2 à vérifier" when documents wait for review.
            let pending: String?
        }
    }

    /// One family for the staff (`staff_family.mustache`): its file's cards, documents,
    /// accounts, bookings and consents.
    struct FamilyPage {
        let layout: LayoutModel
        let family: Family
        let cards: FamilyCards
        let documents: [DocumentPages.Row]
        /// Where a document decision returns to: this page.
        let back: String
        let accounts: [Account]
        let bookings: [Booking]
        let consents: [Consent]
        /// The booking form: the family's children, the activities, today for the date field.
        let bookingChildren: [Option]
        let bookingActivities: [Choice]
        let today: String
        let canWrite: Bool
        let error: String?
        let notice: String?

        struct Family {
            let id: Int
            let name: String
            let notes: String
            let createdAt: String
        }

        struct Option {
            let id: Int
            let name: String
        }

        struct Account {
            let email: String
            let state: String
        }

        struct Booking {
            let day: String
            let child: String
            let activity: String
            let status: String
            let price: String
        }

        struct Consent {
            let email: String
            let subject: String
            let version: Int
            let at: String
        }
    }
}
