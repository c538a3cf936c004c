import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// A stored document sent back: its detected type, always as an attachment, never sniffed,
/// and in a sandbox should a browser still render it.
enum DocumentDownload {
    static func response(_ document: DocumentStore.Document, _ bytes: [UInt8]) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: document.type.mediaType,
                .contentDisposition: FileName.contentDisposition(document.fileName),
                .contentSecurityPolicy: "sandbox; default-src 'none'",
                .xContentTypeOptions: "nosniff",
                .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
