import MarelleCore
import MarelleStore

/// The texts of the e-mails, in the reader's language (`speaking(to:)`). Links are built from the tenant registry and the
/// configured public scheme and port, never from the request's Host header.
public struct MailComposer: Sendable {
    public let registry: TenantRegistry
    public let scheme: String
    public let port: Int?

    public struct Mail: Sendable {
        public let kind: String
        public let subject: String
        public let body: String

        public init(kind: String, subject: String, body: String) {
            self.kind = kind
            self.subject = subject
            self.body = body
        }
    }

    /// Composes in the language `reader` chose, else the request's: a parent who switched to
    /// English gets English mail even when a French-speaking director's decision sends it.
    public func speaking<T>(to reader: Account, _ compose: () throws -> T) rethrows -> T {
        try Language.$current.withValue(Self.language(of: reader), operation: compose)
    }

    /// The language `speaking(to:)` writes in for `reader`.
    public static func language(of reader: Account) -> Language { reader.language ?? Language.current }

    public func link(_ tenant: Tenant, _ path: String) -> String {
        registry.origin(of: tenant, scheme: scheme, port: port) + path
    }

    public func invitation(_ tenant: Tenant, token: String, role: Role) -> Mail {
        Mail(
            kind: "invitation",
            subject: tr("MailComposer.1_votre_acces_au_portail", tenant.displayName),
            body: tr(
                "MailComposer.bonjour_1_vous_invite_a", tenant.displayName,
                role == .parent ? "" : tr("MailComposer.as_team_member", role.label.lowercased()),
                link(tenant, "/invitation?jeton=\(token)"), tenant.displayName))
    }

    public func passwordReset(_ tenant: Tenant, token: String) -> Mail {
        Mail(
            kind: "password-reset",
            subject: tr("MailComposer.1_reinitialisation_de_votre_mot", tenant.displayName),
            body: tr(
                "MailComposer.bonjour_quelqu_un_sans_doute", FrenchName.afterDe(tenant.displayName),
                link(tenant, "/reinitialisation?jeton=\(token)"), tenant.displayName))
    }

    public func passwordChanged(_ tenant: Tenant) -> Mail {
        Mail(
            kind: "password-changed",
            subject: tr("MailComposer.1_votre_mot_de_passe", tenant.displayName),
            body: tr(
                "MailComposer.bonjour_le_mot_de_passe", FrenchName.afterDe(tenant.displayName), link(tenant, "/login"),
                tenant.displayName))
    }

    public func documentRefused(_ tenant: Tenant, document: DocumentStore.Document, reason: String) -> Mail {
        Mail(
            kind: "document-refused",
            subject: tr("MailComposer.1_document_refuse", tenant.displayName),
            body: tr(
                "MailComposer.bonjour_le_document_1_2", document.fileName, document.kind.label.lowercased(),
                document.childName.map { tr("MailComposer.for_child", $0) } ?? "", ParisTime.format(document.uploadedAt), reason,
                link(tenant, "/documents"), tenant.displayName))
    }

    public func privacyTextChanged(_ tenant: Tenant, version: Int) -> Mail {
        Mail(
            kind: "privacy-text",
            subject: tr("MailComposer.1_nouveau_texte_traitement_des", tenant.displayName),
            body: tr(
                "MailComposer.bonjour_1_a_publie_une", tenant.displayName, version, link(tenant, "/traitement-des-donnees"),
                tenant.displayName))
    }

    public func invoiceReminder(_ tenant: Tenant, _ r: OverdueStore.Reminder) -> Mail {
        Mail(
            kind: "invoice-reminder",
            subject: tr("MailComposer.invoice_reminder_subject", tenant.displayName, r.number),
            body: tr(
                "MailComposer.invoice_reminder_body", r.number, r.issuedOn.french, r.month.name,
                Money(cents: r.totalCents).description, r.dueOn.french, Money(cents: r.owedCents).description,
                link(tenant, "/mes-factures/\(r.invoiceID)"), tenant.displayName))
    }

    public func onlinePaymentReceived(_ tenant: Tenant, payment: FamilyAccountStore.Payment) -> Mail {
        Mail(
            kind: "payment-received",
            subject: tr("MailComposer.payment_received_subject", tenant.displayName, payment.receiptNumber),
            body: tr(
                "MailComposer.payment_received_body", Money(cents: payment.amountCents).description, payment.receivedOn.french,
                payment.receiptNumber, link(tenant, "/mes-factures/recus/\(payment.id)"), link(tenant, "/mes-factures"),
                tenant.displayName))
    }

    public func directDebitRejected(_ tenant: Tenant, invoiceID: Int, number: String, amountCents: Int, reason: String)
        -> Mail
    {
        Mail(
            kind: "direct-debit-rejected",
            subject: tr("MailComposer.direct_debit_rejected_subject", tenant.displayName, number),
            body: tr(
                "MailComposer.direct_debit_rejected_body", Money(cents: amountCents).description, number, reason,
                link(tenant, "/mes-factures/\(invoiceID)"), tenant.displayName))
    }

    public func contactMessage(_ tenant: Tenant, from: String, name: String, subject: String, message: String) -> Mail {
        Mail(
            kind: "contact",
            subject: tr("MailComposer.portail_familles_1", subject),
            body: tr(
                "MailComposer.message_envoye_depuis_le_formulaire", FrenchName.afterDe(tenant.displayName), name, from, subject,
                message))
    }

    public func requestReceived(_ tenant: Tenant, result: SubmitBasket.Result) -> Mail {
        let lines = result.lines.map { "- \($0.summaryText) : \($0.outcomeText)" }.joined(separator: "\n")
        return bookingMail(
            tenant, kind: "request-received", subject: tr("MailComposer.demande_recue"),
            paragraphs: [
                tr("MailComposer.nous_avons_bien_recu_votre", result.submissionID), lines,
                tr("MailComposer.l_equipe_valide_les_demandes"),
            ])
    }

    /// The decision e-mail's lines, one per booking: `promoted` are the lines that came off
    /// the waiting list.
    public func decisionLines(
        lines: [(BookingDecisions.Line, BookingStatus)], reason: String?, promoted: Set<Int> = []
    ) -> [String] {
        lines.sorted { $0.0.day < $1.0.day }.map { line, status -> String in
            let verdict: String =
                switch (promoted.contains(line.id), status) {
                case (true, .validated): tr("MailComposer.une_place_s_est_liberee")
                case (true, _): tr("MailComposer.une_place_s_est_liberee_2")
                case (false, .validated):
                    line.status == .cancelRequested
                        ? tr("MailComposer.annulation_refusee_la_reservation_reste") : tr("common.validee")
                case (false, .refused): tr("common.refusee") + (reason.map { " (\($0))" } ?? "")
                case (false, .cancelled): tr("MailComposer.annulation_acceptee")
                case (false, _): status.label
                }
            return "- \(line.day.french) · \(line.activityName) · \(line.childName) : \(verdict)"
        }
    }

    /// The decisions of a few minutes for one family, in one e-mail (`decisionLines`, in the
    /// order they were made).
    public func decisions(_ tenant: Tenant, lines: [String]) -> Mail {
        bookingMail(
            tenant, kind: "decisions", subject: tr("MailComposer.reponse_a_vos_demandes"),
            paragraphs: [tr("MailComposer.voici_les_decisions_de_l"), lines.joined(separator: "\n")])
    }

    /// The booking mails: greeting, their paragraphs, the link to Mon calendrier, signature.
    private func bookingMail(_ tenant: Tenant, kind: String, subject: String, paragraphs: [String]) -> Mail {
        Mail(
            kind: kind,
            subject: "\(tenant.displayName) : \(subject)",
            body: ([tr("MailComposer.greeting")] + paragraphs + [
                tr("MailComposer.vos_reservations_1", link(tenant, "/mon-calendrier")), tenant.displayName,
            ])
            .joined(separator: "\n\n"))
    }

    public init(registry: TenantRegistry, scheme: String, port: Int?) {
        self.registry = registry
        self.scheme = scheme
        self.port = port
    }
}
