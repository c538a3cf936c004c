import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// A message for the association, as the contact form and `POST /api/v1/contact` send it.
public struct ContactMessage: Sendable {
    public var name: String
    public var email: String
    public var subject: String
    public var message: String

    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        if name.isEmpty || name.count > 200 {
            problems.append(.init(field: "name", message: tr("ContactService.indiquez_votre_nom")))
        }
        if EmailAddress(email) == nil {
            problems.append(
                .init(
                    field: "email", message: tr("ContactService.indiquez_une_adresse_e_mail")))
        }
        if subject.isEmpty || subject.count > 200 || subject.contains(where: \.isNewline) {
            problems.append(.init(field: "subject", message: tr("ContactService.indiquez_l_objet_de_votre")))
        }
        if message.isEmpty || message.count > 5000 {
            problems.append(.init(field: "message", message: tr("ContactService.ecrivez_votre_message_5000_caracteres")))
        }
        return problems
    }

    public init(name: String, email: String, subject: String, message: String) {
        self.name = name
        self.email = email
        self.subject = subject
        self.message = message
    }
}

/// Mails a contact message to the association's address through the outbox.
public struct ContactService: Sendable {
    public let database: Database
    public let associations: AssociationStore
    public let mail: MailComposer

    public enum Outcome: Sendable {
        case sent
        case invalid([FieldProblem])
        case noAddress(FieldProblem)
    }

    public func send(tenant: Tenant, _ message: ContactMessage, actor: Actor, ip: String?) async throws -> Outcome {
        let settings = try await associations.settings(of: tenant)
        guard let to = settings.contactEmail.flatMap(EmailAddress.init) else {
            return .noAddress(
                .init(field: "message", message: tr("ContactService.l_association_n_a_pas")))
        }
        let problems = message.problems
        guard problems.isEmpty, let from = EmailAddress(message.email) else { return .invalid(problems) }
        try await database.withTenant(try tenant.scope()) { tx in
            let composed = mail.contactMessage(
                tenant, from: from.value, name: message.name, subject: message.subject, message: message.message)
            try OutboxStore().enqueue(tx, kind: composed.kind, to: to.value, subject: composed.subject, body: composed.body)
            try AuditLog().record(tx, actor: actor, action: "contact.send", subject: from.value, ip: ip)
        }
        return .sent
    }

    public init(database: Database, associations: AssociationStore, mail: MailComposer) {
        self.database = database
        self.associations = associations
        self.mail = mail
    }
}
