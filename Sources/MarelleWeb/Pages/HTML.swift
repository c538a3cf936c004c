import Hummingbird

/// A rendered page.
struct HTML: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let body: String
    /// Personal pages must not stay in a shared browser's cache.
    var personal = false

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.cacheControl] = personal ? "no-store" : "no-cache"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
