import Foundation
import Hummingbird

/// `/api/v1/openapi.json`: the API's OpenAPI 3.1 document, kept by hand in
/// `Public/openapi.json`; a test holds it and the router to the same list of operations.
struct OpenAPIController {
    let document: ByteBuffer

    init() throws {
        guard let path = Bundle.module.path(forResource: "openapi", ofType: "json", inDirectory: "Public") else {
            throw PageRendererError.missingResources
        }
        document = ByteBuffer(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: document))
        }
    }
}
