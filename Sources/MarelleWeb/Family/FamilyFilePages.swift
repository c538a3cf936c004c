import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// "Mon compte": one card per parent and per child, each with its edit page; "les parents"
/// and "les participants" show the same cards. Staff reach the same edit pages for any
/// family under `/gestion/familles/:family/...`, without the parent's consents.
struct FamilyFilePages {
    let useCases: UseCases
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let service: FamilyFileService
    var families: Families { useCases.families }

    func register(on router: Router<AppRequestContext>) {
        router.get("/mon-compte") { request, context in try await cards(request, context, show: .all) }
        router.get("/les-parents") { request, context in try await cards(request, context, show: .guardians) }
        router.get("/les-participants") { request, context in try await cards(request, context, show: .children) }
        for base in ["/mon-compte", "/gestion/familles/:family"] {
            router.get("\(base)/responsables/nouveau") { request, context in try await guardianPage(request, context, id: nil) }
            router.post("\(base)/responsables") { request, context in try await saveGuardian(request, context, id: nil) }
            router.get("\(base)/responsables/:id") { request, context in
                try await guardianPage(request, context, id: try context.requirePathID())
            }
            router.post("\(base)/responsables/:id") { request, context in
                try await saveGuardian(request, context, id: try context.requirePathID())
            }
            router.get("\(base)/enfants/nouveau") { request, context in try await childPage(request, context, id: nil) }
            router.post("\(base)/enfants") { request, context in try await saveChild(request, context, id: nil) }
            router.get("\(base)/enfants/:id") { request, context in
                try await childPage(request, context, id: try context.requirePathID())
            }
            router.post("\(base)/enfants/:id") { request, context in
                try await saveChild(request, context, id: try context.requirePathID())
            }
        }
    }

    enum Show { case all, guardians, children }

    static func id(_ context: AppRequestContext) throws -> Int {
        guard let id = context.parameters.get("id", as: Int.self) else { throw HTTPError(.notFound) }
        return id
    }

    /// Who is editing which family, and where its pages live.
    struct Scope {
        let tenant: Tenant
        let account: Account
        let familyID: Int
        let base: String
        var isStaff: Bool { account.role.isStaff }
    }

    func scope(_ request: Request, _ context: AppRequestContext) throws -> Scope {
        let tenant = try context.requireTenant()
        if let requested = context.parameters.get("family", as: Int.self) {
            let staff = try context.requireStaff(request, writing: true)
            return Scope(tenant: tenant, account: staff, familyID: requested, base: "/gestion/familles/\(requested)")
        }
        let account = try context.requireAccount(request)
        guard let family = account.familyID else {
            throw HTTPError(
                .forbidden, message: tr("FamilyFilePages.cette_page_est_celle_des"))
        }
        return Scope(tenant: tenant, account: account, familyID: family, base: "/mon-compte")
    }

    func cards(_ request: Request, _ context: AppRequestContext, show: Show) async throws -> Response {
        let s = try scope(request, context)
        let (guardians, children, accepted) = try await families.cards(
            tenant: s.tenant, familyID: s.familyID, accountID: s.account.id)
        let title =
            switch show {
            case .all: tr("FamilyFilePages.mon_compte");
            case .guardians: tr("FamilyFilePages.les_parents");
            case .children: tr("FamilyFilePages.les_participants")
            }
        let model = CardsPage(
            layout: LayoutModel(tenant: s.tenant, title: title, context: context),
            cards: FamilyCards(guardians: guardians, children: children, base: s.base), showGuardians: show != .children,
            showChildren: show != .guardians,
            isAccount: show == .all, mustAccept: !accepted,
            notice: request.uri.queryParameters.get("enregistre") != nil
                ? tr("FamilyFilePages.vos_modifications_ont_ete_enregistrees") : nil)
        return try HTML(body: renderer.render("family_file", model), personal: true).response(from: request, context: context)
    }

    func guardianPage(
        _ request: Request, _ context: AppRequestContext, id: Int?, form: FormData? = nil,
        problems: [FieldProblem] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let s = try scope(request, context)
        let (guardian, text) = try await families.guardianForm(tenant: s.tenant, familyID: s.familyID, id: id)
        if id != nil && guardian == nil { throw HTTPError(.notFound) }
        let values = form ?? guardian.map { GuardianForm.fields(of: $0.draft) } ?? FormData(fields: [:])
        let heading =
            guardian.map { tr("FamilyFilePages.responsable_legal_1", $0.displayName) }
            ?? tr("FamilyFilePages.ajouter_un_responsable_legal")
        let model = GuardianForm.page(
            values, layout: LayoutModel(tenant: s.tenant, title: heading, context: context),
            frame: FamilyFormFrame(
                s, action: id.map { "\(s.base)/responsables/\($0)" } ?? "\(s.base)/responsables",
                version: text.version, form: form, shown: values, textFields: GuardianForm.textFields, problems: problems))
        return try HTML(status: status, body: renderer.render("guardian_form", model), personal: true).response(
            from: request, context: context)
    }

    func saveGuardian(_ request: Request, _ context: AppRequestContext, id: Int?) async throws -> Response {
        let s = try scope(request, context)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let (draft, parseProblems) = GuardianForm.draft(form)
        switch try await service.saveGuardian(
            tenant: s.tenant, actor: s.account, familyID: s.familyID, guardianID: id, draft,
            parseProblems: parseProblems, consent: Self.consent(form), ip: context.remoteIP)
        {
        case .saved: return Self.backToCards(s)
        case .notFound: throw HTTPError(.notFound)
        case .invalid(let problems):
            return try await guardianPage(request, context, id: id, form: form, problems: problems, status: .unprocessableContent)
        }
    }

    func childPage(
        _ request: Request, _ context: AppRequestContext, id: Int?, form: FormData? = nil,
        problems: [FieldProblem] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let s = try scope(request, context)
        let (child, text) = try await families.childForm(tenant: s.tenant, familyID: s.familyID, id: id)
        if id != nil && child == nil { throw HTTPError(.notFound) }
        let values = form ?? child.map { ChildForm.fields(of: $0.draft) } ?? FormData(fields: [:])
        let heading =
            child.map { tr("FamilyFilePages.enfant_1_2", $0.draft.firstName, $0.draft.lastName) }
            ?? tr("FamilyFilePages.ajouter_un_enfant")
        let model = ChildForm.page(
            values, layout: LayoutModel(tenant: s.tenant, title: heading, context: context),
            frame: FamilyFormFrame(
                s, action: id.map { "\(s.base)/enfants/\($0)" } ?? "\(s.base)/enfants",
                version: text.version, form: form, shown: values, textFields: ChildForm.textFields, problems: problems),
            today: ParisClock.date(of: Date()))
        return try HTML(status: status, body: renderer.render("child_form", model), personal: true).response(
            from: request, context: context)
    }

    func saveChild(_ request: Request, _ context: AppRequestContext, id: Int?) async throws -> Response {
        let s = try scope(request, context)
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        switch try await service.saveChild(
            tenant: s.tenant, actor: s.account, familyID: s.familyID, childID: id, ChildForm.draft(form),
            consent: Self.consent(form), ip: context.remoteIP, today: ParisClock.date(of: Date()))
        {
        case .saved: return Self.backToCards(s)
        case .notFound: throw HTTPError(.notFound)
        case .invalid(let problems):
            return try await childPage(request, context, id: id, form: form, problems: problems, status: .unprocessableContent)
        }
    }

    static func consent(_ form: FormData) -> FamilyFileService.Consent {
        .init(
            certified: form.isChecked("certify"), acceptsPrivacy: form.isChecked("acceptPrivacy"),
            version: Int(form.text("privacyVersion")))
    }

    static func backToCards(_ s: Scope) -> Response {
        Response(status: .seeOther, headers: [.location: s.isStaff ? "\(s.base)?enregistre=1" : "/mon-compte?enregistre=1"])
    }
}

/// What both family-file forms share (the template's `{{#frame}}`): the values and errors,
/// the target, the back link and, for parents, the two consents with the version of the text shown.
struct FamilyFormFrame {
    /// The text fields as typed (or saved), and each field's problem.
    let values: [String: String]
    let errors: FormErrors
    let action: String
    let back: String
    let askConsent: Bool
    let staff: Bool
    let privacyVersion: Int
    let certifyChecked: Bool
    let acceptChecked: Bool

    /// `shown`: what the fields show (the submitted form, or the saved card); `form`: what was
    /// submitted, if anything (the consents are never pre-ticked from a saved card).
    init(
        _ s: FamilyFilePages.Scope, action: String, version: Int, form: FormData?, shown: FormData, textFields: [String],
        problems: [FieldProblem]
    ) {
        values = Dictionary(uniqueKeysWithValues: textFields.map { ($0, shown.text($0)) })
        errors = FormErrors(problems)
        (self.action, back) = (action, s.isStaff ? s.base : "/mon-compte")
        (askConsent, staff, privacyVersion) = (!s.isStaff, s.isStaff, version)
        (certifyChecked, acceptChecked) = (form?.isChecked("certify") ?? false, form?.isChecked("acceptPrivacy") ?? false)
    }
}

/// "Mon compte", "Les parents", "Les participants" (`family_file.mustache`).
struct CardsPage {
    let layout: LayoutModel
    let cards: FamilyCards
    let showGuardians: Bool
    let showChildren: Bool
    let isAccount: Bool
    /// The current "Traitement des données" text is not accepted yet.
    let mustAccept: Bool
    let notice: String?
}

/// The cards of a family file as the templates show them (inside `{{#cards}}`, on the
/// family's pages and the staff's); what is unknown is nil, not shown.
struct FamilyCards {
    let guardians: [Guardian]
    let children: [Child]
    let addGuardian: String
    let addChild: String

    struct Guardian {
        let id: Int
        let name: String
        let email: String?
        let incomplete: Bool
        let phones: String?
        let address: String?
        let employer: String?
        let caf: String?
        let quotient: String?
        let edit: String
    }

    struct Child {
        let id: Int
        let name: String
        let birthDate: String?
        let school: String?
        let allergies: String?
        let diet: String?
        let pai: Bool
        let photos: String
        let alone: String
        let pickups: String?
        let edit: String
    }

    init(guardians: [FamilyFileStore.Guardian], children: [FamilyFileStore.Child], base: String) {
        func joined(_ parts: [String], _ separator: String) -> String? {
            shown(parts.filter { !$0.isEmpty }.joined(separator: separator))
        }
        self.guardians = guardians.map { g in
            let d = g.draft
            return Guardian(
                id: g.id, name: g.displayName, email: shown(d.email), incomplete: d.firstName.isEmpty || d.lastName.isEmpty,
                phones: joined([d.mobilePhone, d.homePhone, d.workPhone], " · "),
                address: joined([d.street, [d.postalCode, d.city].filter { !$0.isEmpty }.joined(separator: " ")], ", "),
                employer: shown(d.employer), caf: shown(d.cafNumber),
                quotient: d.quotient.map { q in
                    "\(q)" + (d.quotientValidUntil.map { tr("FamilyFilePages.valable_jusqu_au_1", $0.french) } ?? "")
                },
                edit: "\(base)/responsables/\(g.id)")
        }
        self.children = children.map { c in
            let d = c.draft
            return Child(
                id: c.id, name: "\(d.firstName) \(d.lastName)", birthDate: d.birthDate?.french,
                school: joined([d.school, d.level?.rawValue ?? ""], " · "), allergies: shown(d.allergies), diet: shown(d.diet),
                pai: d.hasPAI,
                photos: d.photoConsent ? tr("FamilyFilePages.autorisees") : tr("FamilyFilePages.non_autorisees"),
                alone: d.mayLeaveAlone ? "oui" : "non",
                pickups: joined(
                    d.pickups.map { "\($0.name) (\($0.phone)\($0.relationship.isEmpty ? "" : ", \($0.relationship)"))" }, " ; "),
                edit: "\(base)/enfants/\(c.id)")
        }
        (addGuardian, addChild) = ("\(base)/responsables/nouveau", "\(base)/enfants/nouveau")
    }
}
