import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// "L'association" (contact, address, hours, the team), "les animateurs", the contact form
/// that mails the association through the outbox, and the staff's form for these details.
struct AssociationPages {
    let useCases: UseCases
    let associations: AssociationStore
    let renderer: PageRenderer
    let csrf: CSRFTokens
    let contact: ContactService
    let secondFactors: SecondFactors
    var settings: AssociationSettings { useCases.association }

    func register(on router: Router<AppRequestContext>) {
        router.get("/association") { request, context in
            try await page(request, context, template: "association", title: tr("AssociationPages.l_association"))
        }
        router.get("/les-animateurs") { request, context in
            try await page(request, context, template: "team", title: tr("AssociationPages.les_animateurs"))
        }
        router.get("/contact") { request, context in try await contactPage(request, context) }
        router.get("/accessibilite") { request, context in
            let tenant = try context.requireTenant()
            let body = try renderer.render(
                "accessibility",
                PlainPage(layout: LayoutModel(tenant: tenant, title: tr("AssociationPages.accessibilite"), context: context)))
            return try HTML(body: body, personal: context.session != nil).response(from: request, context: context)
        }
        router.post("/contact") { request, context in try await sendContact(request, context) }
        router.get("/gestion/association") { request, context in try await settingsPage(request, context) }
        router.post("/gestion/association") { request, context in try await saveSettings(request, context) }
        router.post("/gestion/association/double-authentification") { request, context in
            try await saveSecondFactorRule(request, context)
        }
        router.post("/gestion/association/equipe/:id") { request, context in try await saveStaffName(request, context) }
    }

    /// One member of the team as the pages show them.
    struct Member {
        let id: Int
        /// The name shown to families: "Membre de l'équipe" until staff give one.
        let name: String
        let displayName: String
        let role: String
        let email: String
    }

    func team(_ tenant: Tenant) async throws -> [Member] {
        // Public pages: only the team's rows are read, never the families' accounts.
        try await settings.team(tenant: tenant).map {
            Member(
                id: $0.id, name: $0.displayName.isEmpty ? tr("AssociationPages.membre_de_l_equipe") : $0.displayName,
                displayName: $0.displayName,
                role: $0.role.label, email: $0.email)
        }
    }

    /// "L'association" and "L'équipe" (`association.mustache`, `team.mustache`).
    struct AboutPage {
        let layout: LayoutModel
        let name: String
        let contactEmail: String
        let phone: String
        let postalAddress: String
        let openingHours: String
        let team: [Member]
    }

    /// A form page: the values typed (or saved), each field's problem, and a notice after it
    /// worked.
    struct FormPage {
        let layout: LayoutModel
        let values: [String: String]
        let errors: FormErrors
        var team: [Member] = []
        var notice: String? = nil
        /// The direction's rule on staff's second factor.
        var secondFactorRequired = false
        var secondFactorAvailable = false
        var secondFactorError: String? = nil
    }

    func page(_ request: Request, _ context: AppRequestContext, template: String, title: String) async throws -> Response {
        let tenant = try context.requireTenant()
        let settings = try await associations.settings(of: tenant)
        let model = AboutPage(
            layout: LayoutModel(tenant: tenant, title: title, context: context), name: settings.displayName,
            contactEmail: settings.contactEmail ?? "", phone: settings.phone ?? "", postalAddress: settings.postalAddress ?? "",
            openingHours: settings.openingHours ?? "", team: try await team(tenant))
        return try HTML(body: renderer.render(template, model), personal: context.session != nil).response(
            from: request, context: context)
    }

    func contactPage(
        _ request: Request, _ context: AppRequestContext, form: FormData? = nil, problems: [FieldProblem] = [],
        notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let account = context.session?.account
        return try csrf.page(request, context) { token in
            let values = [
                "name": form?.text("name") ?? account?.displayName ?? "", "email": form?.text("email") ?? account?.email ?? "",
                "subject": form?.text("subject") ?? "", "message": form?.text("message") ?? "",
            ]
            let model = FormPage(
                layout: LayoutModel(tenant: tenant, title: tr("AssociationPages.nous_contacter"), context: context, csrf: token),
                values: values,
                errors: FormErrors(problems), notice: notice)
            return try HTML(status: status, body: renderer.render("contact", model), personal: true).response(
                from: request, context: context)
        }
    }

    func sendContact(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let form = try await FormData(request: request, context: context)
        try csrf.verify(form, request, context)
        let message = ContactMessage(
            name: form.text("name"), email: form.text("email"), subject: form.text("subject"), message: form.text("message"))
        switch try await contact.send(
            tenant: tenant, message, actor: context.session.map { .account($0.account) } ?? .anonymous, ip: context.remoteIP)
        {
        case .sent:
            return try await contactPage(
                request, context, notice: tr("AssociationPages.votre_message_a_ete_envoye"))
        case .invalid(let problems):
            return try await contactPage(request, context, form: form, problems: problems, status: .unprocessableContent)
        case .noAddress(let problem):
            return try await contactPage(request, context, form: form, problems: [problem], status: .serviceUnavailable)
        }
    }

    func settingsPage(
        _ request: Request, _ context: AppRequestContext, form: FormData? = nil, problems: [FieldProblem] = [],
        secondFactorError: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tenant = try context.requireTenant()
        let staff = try context.requireStaff(request, writing: true)
        let rule = try await secondFactors.status(tenant: tenant, account: staff)
        let s = try await associations.settings(of: tenant)
        let values = [
            "displayName": form?.text("displayName") ?? s.displayName,
            "contactEmail": form?.text("contactEmail") ?? s.contactEmail ?? "",
            "phone": form?.text("phone") ?? s.phone ?? "", "postalAddress": form?.text("postalAddress") ?? s.postalAddress ?? "",
            "openingHours": form?.text("openingHours") ?? s.openingHours ?? "",
        ]
        let model = FormPage(
            layout: LayoutModel(tenant: tenant, title: tr("AssociationPages.l_association"), context: context), values: values,
            errors: FormErrors(problems),
            team: try await team(tenant),
            notice: request.uri.queryParameters.get("enregistre") != nil
                ? tr("common.modifications_enregistrees") : nil,
            secondFactorRequired: rule.required, secondFactorAvailable: rule.available, secondFactorError: secondFactorError)
        return try HTML(status: status, body: renderer.render("staff_association", model), personal: true).response(
            from: request, context: context)
    }

    func saveSettings(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        var problems: [FieldProblem] = []
        let name = form.text("displayName")
        if name.isEmpty || name.count > 200 {
            problems.append(.init(field: "displayName", message: tr("AssociationPages.indiquez_le_nom_de_l")))
        }
        let email = form.text("contactEmail")
        if !email.isEmpty && EmailAddress(email) == nil {
            problems.append(.init(field: "contactEmail", message: tr("common.cette_adresse_e_mail_n")))
        }
        for field in ["phone", "postalAddress", "openingHours"] where form.text(field).count > 500 {
            problems.append(.init(field: field, message: tr("AssociationPages.ce_champ_est_limite_a")))
        }
        guard problems.isEmpty else {
            return try await settingsPage(request, context, form: form, problems: problems, status: .unprocessableContent)
        }
        func optional(_ f: String) -> String? { form.text(f).isEmpty ? nil : form.text(f) }
        let settings = AssociationStore.Settings(
            displayName: name, contactEmail: EmailAddress(email)?.value, phone: optional("phone"),
            postalAddress: optional("postalAddress"), openingHours: optional("openingHours"))
        try await self.settings.update(tenant: tenant, actor: staff, settings, ip: context.remoteIP)
        return Response(status: .seeOther, headers: [.location: "/gestion/association?enregistre=1"])
    }

    func saveStaffName(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try StaffPost.id(context)
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let name = String(form.text("displayName").prefix(200))
        let saved = try await settings.renameStaff(tenant: tenant, actor: staff, id: id, name: name, ip: context.remoteIP)
        guard saved else { throw HTTPError(.notFound) }
        return Response(status: .seeOther, headers: [.location: "/gestion/association?enregistre=1"])
    }

    /// "Exiger la double authentification" : the direction's rule for the whole team.
    func saveSecondFactorRule(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenant, staff, form) = try await StaffPost.read(request, context, csrf: csrf).parts
        let required = form.text("required") == "oui"
        if let failure = try await secondFactors.setRequired(tenant: tenant, actor: staff, required, ip: context.remoteIP) {
            return try await settingsPage(
                request, context, secondFactorError: SecondFactorController.message(failure), status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/gestion/association?enregistre=1"])
    }
}
