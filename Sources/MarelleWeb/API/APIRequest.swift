import Foundation
import Hummingbird
import MarelleApp
import MarelleCore

/// What every API handler needs from a request: its bearer account (401 otherwise), a staff
/// account for staff operations (403), and its JSON body (400 when it does not decode).
extension AppRequestContext {
    /// The account behind the bearer token.
    func requireAPIAccount() throws -> Account {
        guard let account = apiAccount else { throw Problem.unauthorized() }
        return account
    }

    /// The `{id}` of the path; 404 when it is not a number.
    func requirePathID() throws -> Int {
        guard let id = parameters.get("id", as: Int.self) else { throw Problem.notFound }
        return id
    }

    /// The family the request works on: the parent's own, or the one in the path for staff
    /// (the direction, when `writing`).
    func requireAPIFamily(writing: Bool) throws -> (Account, Int) {
        let account = try requireAPIAccount()
        if let requested = parameters.get("family") {
            guard account.role.mayManage(writing: writing) else {
                throw Problem(
                    status: .forbidden, title: "Accès refusé", detail: "Ces dossiers sont réservés à l'équipe de l'association.")
            }
            guard let id = Int(requested) else { throw Problem.notFound }
            return (account, id)
        }
        guard let id = account.familyID else {
            throw Problem(
                status: .forbidden, title: "Accès refusé",
                detail: "Seuls les parents ont un dossier famille ; l'équipe utilise /families/{id}.")
        }
        return (account, id)
    }

    /// Staff may read; only the direction may change (`writing`).
    func requireAPIStaff(writing: Bool) throws -> Account {
        let account = try requireAPIAccount()
        guard account.role.mayManage(writing: writing) else {
            throw Problem(
                status: .forbidden, title: "Accès refusé", detail: "Cette opération est réservée à la direction de l'association."
            )
        }
        return account
    }
}

enum JSONBody {
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// The request's JSON body as `T`; bodies of the API are small (64 KiB at most).
    static func decode<T: Decodable>(_ request: Request, as type: T.Type) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        do {
            return try decoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Problem.badRequest("Le corps de la requête n'est pas un JSON valide pour cette opération.")
        }
    }
}

extension Problem {
    /// 422 with one `errors` entry per invalid field.
    static func invalid(_ problems: [FieldProblem]) -> Problem {
        Problem(
            status: .unprocessableContent, title: "Données invalides",
            detail: problems.map(\.message).joined(separator: " "),
            errors: problems)
    }

    /// 404 for an id that does not exist or is not the caller's: the same answer for both.
    static let notFound = Problem(
        status: .notFound, title: "Introuvable", detail: "Cette ressource n'existe pas ou ne vous est pas accessible.")
}
