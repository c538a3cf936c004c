import Logging
import Foundation
import Hummingbird

/// An API error as RFC 9457 problem details (`application/problem+json`), with a French
/// `detail` a client can show as is.
struct Problem: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let title: String
    let detail: String
    var type: String = "about:blank"
    var retryAfter: Int? = nil
    var extraHeaders: HTTPFields = [:]
    /// RFC 9457 extension members (`errors` with one entry per invalid field).
    var extensions: [String: any Sendable] = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: Any] = ["type": type, "title": title, "status": Int(status.code), "detail": detail]
        if let id = context.logger[metadataKey: "hb.request.id"] { body["instance"] = "urn:marelle:request:\(id)" }
        for (key, value) in extensions { body[key] = value }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        var headers: HTTPFields = [.contentType: "application/problem+json", .cacheControl: "no-store"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The answer to a token that is not (or no longer) live.
    static let unknownToken = "Jeton inconnu, expiré ou révoqué."
    /// The answer to a staff account on a family's page or operation.
    static let familiesOnly = "Les inscriptions sont celles des familles : l'équipe traite les demandes dans « À traiter »."

    static func unauthorized(_ detail: String = "Authentification requise : envoyez un jeton « Bearer » valide.") -> Problem {
        Problem(
            status: .unauthorized, title: "Non authentifié", detail: detail,
            extraHeaders: [.wwwAuthenticate: "Bearer realm=\"marelle\""])
    }

    static func badRequest(_ detail: String) -> Problem {
        Problem(status: .badRequest, title: "Requête invalide", detail: detail)
    }
}

/// A JSON body for API responses.
struct JSONResponse: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let object: Any

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
