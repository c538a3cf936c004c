import MarelleCore
import MarelleStore

/// The texts of the e-mails, in French. Links are built from the tenant registry and the
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

    public func link(_ tenant: Tenant, _ path: String) -> String {
        registry.origin(of: tenant, scheme: scheme, port: port) + path
    }

    public func invitation(_ tenant: Tenant, token: String, role: Role) -> Mail {
        Mail(
            kind: "invitation",
            subject: "\(tenant.displayName) : votre accès au Portail Familles",
            body: """
                Bonjour,

                \(tenant.displayName) vous invite à utiliser son Portail Familles\(role == .parent ? "" : " en tant que membre de l'équipe (\(role.label.lowercased()))").

                Pour choisir votre mot de passe et activer votre compte, ouvrez ce lien (valable 7 jours, une seule fois) :
                \(link(tenant, "/invitation?jeton=\(token)"))

                Si vous n'attendiez pas ce message, ignorez-le : aucun compte ne sera activé.

                \(tenant.displayName)
                """)
    }

    public func passwordReset(_ tenant: Tenant, token: String) -> Mail {
        Mail(
            kind: "password-reset",
            subject: "\(tenant.displayName) : réinitialisation de votre mot de passe",
            body: """
                Bonjour,

                Quelqu'un (sans doute vous) a demandé à réinitialiser le mot de passe de votre compte sur le Portail Familles \(FrenchName.afterDe(tenant.displayName)).

                Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 30 minutes, une seule fois) :
                \(link(tenant, "/reinitialisation?jeton=\(token)"))

                Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.

                \(tenant.displayName)
                """)
    }

    public func passwordChanged(_ tenant: Tenant) -> Mail {
        Mail(
            kind: "password-changed",
            subject: "\(tenant.displayName) : votre mot de passe a été modifié",
            body: """
                Bonjour,

                Le mot de passe de votre compte sur le Portail Familles \(FrenchName.afterDe(tenant.displayName)) vient d'être modifié, et toutes vos autres sessions ont été fermées.

                Si vous n'êtes pas à l'origine de ce changement, utilisez « Mot de passe oublié » sur \(link(tenant, "/login")) puis prévenez l'association.

                \(tenant.displayName)
                """)
    }

    public func documentRefused(_ tenant: Tenant, document: DocumentStore.Document, reason: String) -> Mail {
        Mail(
            kind: "document-refused",
            subject: "\(tenant.displayName) : document refusé",
            body: """
                Bonjour,

                Le document « \(document.fileName) » (\(document.kind.label.lowercased())\(document.childName.map { ", pour \($0)" } ?? "")) que vous avez transmis le \(ParisTime.format(document.uploadedAt)) n'a pas pu être accepté.

                Motif : \(reason)

                Vous pouvez en envoyer un nouveau depuis « Transmettre des documents » :
                \(link(tenant, "/documents"))

                \(tenant.displayName)
                """)
    }

    public func privacyTextChanged(_ tenant: Tenant, version: Int) -> Mail {
        Mail(
            kind: "privacy-text",
            subject: "\(tenant.displayName) : nouveau texte « Traitement des données »",
            body: """
                Bonjour,

                \(tenant.displayName) a publié une nouvelle version (n° \(version)) de son texte « Traitement des données », qui décrit l'usage fait des informations de votre dossier.

                Vous pouvez la lire ici ; elle vous sera présentée pour acceptation à votre prochaine connexion :
                \(link(tenant, "/traitement-des-donnees"))

                \(tenant.displayName)
                """)
    }

    public func contactMessage(_ tenant: Tenant, from: String, name: String, subject: String, message: String) -> Mail {
        Mail(
            kind: "contact",
            subject: "[Portail Familles] \(subject)",
            body: """
                Message envoyé depuis le formulaire de contact du Portail Familles \(FrenchName.afterDe(tenant.displayName)).

                De : \(name) <\(from)>
                Objet : \(subject)

                \(message)
                """)
    }

    public func requestReceived(_ tenant: Tenant, result: SubmitBasket.Result) -> Mail {
        let lines = result.lines.map { "- \($0.frenchSummary) : \($0.frenchOutcome)" }.joined(separator: "\n")
        return bookingMail(
            tenant, kind: "request-received", subject: "demande reçue",
            paragraphs: [
                "Nous avons bien reçu votre demande (n° \(result.submissionID)) :", lines,
                "L'équipe valide les demandes et vous écrit quand c'est fait. Une place sur liste d'attente vous est attribuée automatiquement dès qu'une place se libère, dans l'ordre des demandes.",
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
                case (true, .validated): "une place s'est libérée : votre demande sur liste d'attente est validée"
                case (true, _): "une place s'est libérée : votre demande sur liste d'attente passe en demande à valider"
                case (false, .validated):
                    line.status == .cancelRequested ? "annulation refusée : la réservation reste validée" : "validée"
                case (false, .refused): "refusée" + (reason.map { " (\($0))" } ?? "")
                case (false, .cancelled): "annulation acceptée"
                case (false, _): status.french
                }
            return "- \(line.day.french) · \(line.activityName) · \(line.childName) : \(verdict)"
        }
    }

    /// The decisions of a few minutes for one family, in one e-mail (`decisionLines`, in the
    /// order they were made).
    public func decisions(_ tenant: Tenant, lines: [String]) -> Mail {
        bookingMail(
            tenant, kind: "decisions", subject: "réponse à vos demandes",
            paragraphs: ["Voici les décisions de l'équipe :", lines.joined(separator: "\n")])
    }

    /// The booking mails: greeting, their paragraphs, the link to Mon calendrier, signature.
    private func bookingMail(_ tenant: Tenant, kind: String, subject: String, paragraphs: [String]) -> Mail {
        Mail(
            kind: kind,
            subject: "\(tenant.displayName) : \(subject)",
            body: (["Bonjour,"] + paragraphs + ["Vos réservations : \(link(tenant, "/mon-calendrier"))", tenant.displayName])
                .joined(separator: "\n\n"))
    }

    public init(registry: TenantRegistry, scheme: String, port: Int?) {
        self.registry = registry
        self.scheme = scheme
        self.port = port
    }
}
