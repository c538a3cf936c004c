import Foundation
import Hummingbird
import MarelleRendering

/// A typed JSON body for API responses: each operation answers a `Codable` type of its own,
/// described field for field in the OpenAPI document. Encoded without Foundation's
/// `JSONSerialization`, whose bridging of untyped dictionaries and sorting of keys cost half the
/// server's CPU on the calendar (`make bench`); written by `JSONWriter` in one pass.
struct JSONReply<Value: Encodable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let value: Value

    init(status: HTTPResponse.Status = .ok, _ value: Value) {
        self.status = status
        self.value = value
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let bytes: [UInt8]
        do {
            bytes = try JSONWriter.encode(value)
        } catch is JSONWriter.Unsupported {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            bytes = Array(try encoder.encode(value))
        }
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
