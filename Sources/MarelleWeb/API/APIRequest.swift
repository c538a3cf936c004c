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
                    status: .forbidden, title: tr("common.acces_refuse"),
                    detail: tr("APIRequest.ces_dossiers_sont_reserves_a"))
            }
            guard let id = Int(requested) else { throw Problem.notFound }
            return (account, id)
        }
        guard let id = account.familyID else {
            throw Problem(
                status: .forbidden, title: tr("common.acces_refuse"),
                detail: tr("APIRequest.seuls_les_parents_ont_un"))
        }
        return (account, id)
    }

    /// Staff may read; only the direction may change (`writing`).
    func requireAPIStaff(writing: Bool) throws -> Account {
        let account = try requireAPIAccount()
        guard account.role.mayManage(writing: writing) else {
            throw Problem(
                status: .forbidden, title: tr("common.acces_refuse"),
                detail: tr("APIRequest.cette_operation_est_reservee_a")
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
        let data = try await read(request, upTo: 64 * 1024)
        do {
            return try decoder().decode(T.self, from: data)
        } catch {
            throw Problem.badRequest(tr("APIRequest.le_corps_de_la_requete"))
        }
    }

    /// The request's body, up to `limit` bytes (413 beyond), refused with a 422 naming the
    /// field when a string of it holds a control character (`ControlCharacters`): the one
    /// gate every API body goes through, so that no handler has to remember it.
    static func read(_ request: Request, upTo limit: Int) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let data = Data(buffer.readableBytesView)
        if mayHoldControlCharacters(data), let value = try? JSONDecoder().decode(JSONValue.self, from: data) {
            let fields = value.fieldsWithControlCharacters(at: "")
            if !fields.isEmpty {
                throw Problem.invalid(fields.map { FieldProblem(field: $0, message: ControlCharacters.message) })
            }
        }
        return data
    }

    /// A cheap look at the raw bytes: in valid JSON a C0 control can only come as a `\u00XX`
    /// escape, DEL comes raw or as `\u007f`, and a C1 control raw (0xC2 0x80…0x9F) or as
    /// `\u008X`/`\u009X`; most bodies hold none of these, and skip the second decoding.
    private static func mayHoldControlCharacters(_ data: Data) -> Bool {
        var previous: UInt8 = 0
        var escape = 0  // bytes seen of a "\u00" prefix
        for byte in data {
            if byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) { return true }
            switch (escape, byte) {
            case (0, UInt8(ascii: "\\")): escape = 1
            case (1, UInt8(ascii: "u")), (2, UInt8(ascii: "0")): escape += 1
            case (3, UInt8(ascii: "0")): return true
            default: escape = byte == UInt8(ascii: "\\") ? 1 : 0
            }
            previous = byte
        }
        return false
    }
}

extension JSONValue {
    /// The paths (`children`, `lines[0].days[1]`) of every key or string holding a control
    /// character.
    func fieldsWithControlCharacters(at path: String) -> [String] {
        switch self {
        case .string(let text): ControlCharacters.found(in: text) ? [path.isEmpty ? "body" : path] : []
        case .array(let items):
            items.enumerated().flatMap { index, item in item.fieldsWithControlCharacters(at: "\(path)[\(index)]") }
        case .object(let members):
            members.sorted { $0.key < $1.key }.flatMap { key, item in
                let name = ControlCharacters.removed(from: key)
                let here = path.isEmpty ? name : "\(path).\(name)"
                return ControlCharacters.found(in: key) ? [here] : item.fieldsWithControlCharacters(at: here)
            }
        case .null, .bool, .number: []
        }
    }
}

extension Problem {
    /// 422 with one `errors` entry per invalid field.
    static func invalid(_ problems: [FieldProblem]) -> Problem {
        Problem(
            status: .unprocessableContent, title: tr("common.donnees_invalides"),
            detail: problems.map(\.message).joined(separator: " "),
            errors: problems)
    }

    /// 404 for an id that does not exist or is not the caller's: the same answer for both.
    static var notFound: Problem {
        Problem(
            status: .notFound, title: tr("common.introuvable"), detail: tr("APIRequest.cette_ressource_n_existe_pas"))
    }
}
