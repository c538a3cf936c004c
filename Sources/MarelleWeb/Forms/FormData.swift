import Hummingbird
import MarelleCore

extension FormData {
    static let maximumBytes = 64 * 1024

    /// The request's body, read up to `maximumBytes`: no form of ours is larger, and a huge
    /// body must not fill memory.
    init(request: Request, context: AppRequestContext) async throws {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maximumBytes)
        self.init(encoded: String(buffer: buffer))
    }
}
