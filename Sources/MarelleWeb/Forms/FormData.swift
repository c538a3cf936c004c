import Hummingbird
import MarelleCore

extension FormData {
    static let maximumBytes = 64 * 1024

    /// The request's body, read up to `maximumBytes`: no form of ours is larger, and a huge
    /// body must not fill memory. A field holding a control character (`ControlCharacters`)
    /// refuses the whole form with a 422 that names it, before any handler sees it: the same
    /// rule as the API's bodies and the CSV import.
    init(request: Request, context: AppRequestContext) async throws {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maximumBytes)
        self.init(encoded: String(buffer: buffer))
        let problems = controlCharacterProblems
        if !problems.isEmpty {
            throw HTTPError(
                .unprocessableContent,
                message: problems.map { "« \($0.field) » : \($0.message)" }.joined(separator: " "))
        }
    }
}
