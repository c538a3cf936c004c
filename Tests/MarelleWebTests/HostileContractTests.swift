import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import Testing

/// Every operation of the OpenAPI document, sent what a hostile client sends: each string of
/// its JSON body holding NUL, DEL or an escape sequence, each integer past `integer`'s range,
/// each path id unknown or enormous; as the direction and as a parent. Whatever the answer
/// (400, 403, 404, 422), it is never a 5xx: `WebTestServer` fails the test on one.
@Suite("Hostile values on every API operation")
struct HostileContractTests {
    /// The document's JSON, with `$ref`s resolved against its components.
    struct Document {
        let root: [String: Any]

        func resolve(_ schema: Any?) -> [String: Any] {
            guard var object = schema as? [String: Any] else { return [:] }
            if let ref = object["$ref"] as? String {
                let name = ref.split(separator: "/").last.map(String.init) ?? ""
                object = ((root["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] ?? [:]
            }
            return object
        }

        /// A value of `schema` made of the given hostile leaves.
        func hostile(_ schema: Any?, text: String, integer: Int, depth: Int = 0) -> Any {
            let object = resolve(schema)
            if let choices = (object["oneOf"] ?? object["anyOf"]) as? [Any], let first = choices.first {
                return hostile(first, text: text, integer: integer, depth: depth)
            }
            let type = (object["type"] as? String) ?? ((object["type"] as? [String])?.first { $0 != "null" }) ?? "object"
            switch type {
            case "string": return text
            case "integer", "number": return integer
            case "boolean": return true
            case "array":
                return depth > 4 ? [] : [hostile(object["items"], text: text, integer: integer, depth: depth + 1)]
            default:
                guard depth <= 4 else { return [String: Any]() }
                var result: [String: Any] = [:]
                for (name, property) in (object["properties"] as? [String: Any]) ?? [:] {
                    result[name] = hostile(property, text: text, integer: integer, depth: depth + 1)
                }
                return result
            }
        }
    }

    @Test("control characters, out-of-range integers and unknown ids on every operation: never a 5xx")
    func everyOperation() async throws {
        let tenant = try await TestEnvironment.makeTenant()
        let host = "\(tenant.slug).localhost"
        try await WebTestServer.with { client in
            let direction = try await ActivityAPITests().token(client, tenant, role: .direction)
            let family = try await SignedInFamily.make(client, tenant: tenant)
            let parent = try await family.inTenant { tx in try ApiTokenStore().issue(tx, accountID: family.account.id).token }
            let raw = try #require(try await client.get("/api/v1/openapi.json", host: host).jsonObject())
            let document = Document(root: raw)
            let paths = try #require(raw["paths"] as? [String: [String: Any]])
            var sent = 0
            for (template, methods) in paths.sorted(by: { $0.key < $1.key }) where template != "/auth/session" {
                for (method, operation) in methods.sorted(by: { $0.key < $1.key }) {
                    let body =
                        ((((operation as? [String: Any])?["requestBody"] as? [String: Any])?["content"]
                        as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
                    for (text, integer, id) in [("a\u{0}b", 3_000_000_000, "999999"), ("\u{7F}\u{1B}[2J", -1, "3000000000")] {
                        let path =
                            "/api/v1" + template.replacingOccurrences(of: #"\{[^}]+\}"#, with: id, options: .regularExpression)
                        let json =
                            body == nil
                            ? nil
                            : String(
                                decoding: try JSONSerialization.data(
                                    withJSONObject: document.hostile(body, text: text, integer: integer),
                                    options: [.fragmentsAllowed]),
                                as: UTF8.self)
                        for token in [direction, parent] {
                            let response = try await client.json(
                                HTTPRequest.Method(method.uppercased())!, path, host: host, body: json, token: token)
                            #expect(response.status.code < 500, "\(method.uppercased()) \(path): \(response.status)")
                            sent += 1
                        }
                    }
                }
            }
            #expect(sent > 100)
        }
    }
}
