import Foundation
import Hummingbird
import Logging
import MarelleCore
import MarelleRendering

/// An API error as RFC 9457 problem details (`application/problem+json`), with a French
/// `detail` a client can show as is.
struct Problem: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let title: String
    let detail: String
    var type: String = "about:blank"
    var retryAfter: Int? = nil
    var extraHeaders: HTTPFields = [:]
    /// The RFC 9457 extension member `errors`: one entry per invalid field (422 only).
    var errors: [FieldProblem]? = nil
    /// The extension member `challenge`: the sign-in waiting for its second factor.
    var challenge: String? = nil

    /// The body as the OpenAPI document's `Problem` has it; members without a value are left
    /// out (RFC 9457), not written `null` as the other bodies' fields are.
    struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let instance: String?
        let errors: [FieldProblem]?
        let challenge: String?

        enum CodingKeys: CodingKey { case type, title, status, detail, instance, errors, challenge }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(type, forKey: .type)
            try c.encode(title, forKey: .title)
            try c.encode(status, forKey: .status)
            try c.encode(detail, forKey: .detail)
            if let instance { try c.encode(instance, forKey: .instance) }
            if let errors { try c.encode(errors, forKey: .errors) }
            if let challenge { try c.encode(challenge, forKey: .challenge) }
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            type: type, title: title, status: Int(status.code), detail: detail,
            instance: context.logger[metadataKey: "hb.request.id"].map { "urn:marelle:request:\($0)" },
            errors: errors, challenge: challenge)
        let data = try JSONWriter.encode(body)
        var headers: HTTPFields = [.contentType: "application/problem+json", .cacheControl: "no-store"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The answer to a token that is not (or no longer) live.
    static var unknownToken: String { tr("Problem.jeton_inconnu_expire_ou_revoque") }
    /// The answer to a staff account on a family's page or operation.
    static var familiesOnly: String { tr("Problem.les_inscriptions_sont_celles_des") }

    static func unauthorized(_ detail: String = tr("Problem.authentification_requise_envoyez_un_jeton")) -> Problem {
        Problem(
            status: .unauthorized, title: tr("Problem.non_authentifie"), detail: detail,
            extraHeaders: [.wwwAuthenticate: "Bearer realm=\"marelle\""])
    }

    static func badRequest(_ detail: String) -> Problem {
        Problem(status: .badRequest, title: tr("common.requete_invalide"), detail: detail)
    }
}
