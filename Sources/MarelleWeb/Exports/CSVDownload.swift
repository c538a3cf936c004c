import Hummingbird

/// A CSV file as a download: UTF-8 with its BOM (as `CSVWriter` writes it), never cached (the
/// exports hold personal data, the journal the families' money).
struct CSVDownload: ResponseGenerator {
    let csv: String
    /// Without `.csv`.
    let fileName: String

    var response: Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"\(fileName).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }
}
