import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MultipartKit

/// A `multipart/form-data` body with one file, read as it arrives: the file may not pass
/// `maximumFileBytes`, and reading stops at the first byte beyond it, so an upload of any
/// size costs at most that much memory and is answered as soon as it is too large.
struct MultipartUpload: Sendable {
    var fields: [String: String] = [:]
    /// Every value of repeated fields (checkboxes sharing a name), in order.
    var lists: [String: [String]] = [:]
    var fileName: String?
    var fileBytes: [UInt8] = []

    /// What the use case stores.
    var document: DocumentUpload {
        DocumentUpload(fields: fields, fileName: fileName, fileBytes: fileBytes)
    }

    static let maximumFileBytes = 10 * 1024 * 1024
    /// Room for the other fields and the multipart framing.
    static let maximumOtherBytes = 64 * 1024

    enum Failure: Error, Equatable {
        case notMultipart
        case malformed
        case tooLarge
    }

    static func read(_ request: Request, fileField: String, maximumFileBytes: Int = maximumFileBytes) async throws
        -> MultipartUpload
    {
        guard let contentType = request.headers[.contentType], let boundary = Self.boundary(of: contentType) else {
            throw Failure.notMultipart
        }
        let limit = maximumFileBytes + maximumOtherBytes
        // A declared length over the limit is refused before a byte of the body is read.
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit { throw Failure.tooLarge }
        let state = ParseState(fileField: fileField, maximumFileBytes: maximumFileBytes)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.complete() }
        var total = 0
        for try await buffer in request.body {
            total += buffer.readableBytes
            if total > limit { throw Failure.tooLarge }
            do { try parser.execute(buffer) } catch { throw Failure.malformed }
            if let failure = state.failure { throw failure }
        }
        guard state.sawPart else { throw Failure.malformed }
        return state.upload
    }

    /// The `boundary` parameter of a multipart/form-data Content-Type.
    static func boundary(of contentType: String) -> String? {
        let parts = HeaderParameters(contentType)
        guard parts.value.lowercased() == "multipart/form-data", let b = parts["boundary"], (1...70).contains(b.count) else {
            return nil
        }
        return b
    }

    /// What the parser's callbacks build, part by part.
    private final class ParseState {
        let fileField: String
        let maximumFileBytes: Int
        var upload = MultipartUpload()
        var failure: Failure?
        var sawPart = false
        private var name: String?
        private var isFile = false
        private var value: [UInt8] = []
        private var otherBytes = 0

        init(fileField: String, maximumFileBytes: Int) {
            self.fileField = fileField
            self.maximumFileBytes = maximumFileBytes
        }

        func header(_ name: String, _ value: String) {
            guard name.lowercased() == "content-disposition" else { return }
            let parameters = HeaderParameters(value)
            self.name = parameters["name"]
            isFile = self.name == fileField
            if isFile {
                // A file's name is a label the browser chose: what cannot be stored is dropped, not refused.
                upload.fileName = ControlCharacters.removed(
                    from: parameters["filename*"].flatMap(Self.extendedValue) ?? parameters["filename"] ?? "")
            }
        }

        func body(_ buffer: inout ByteBuffer) {
            guard failure == nil else { return }
            if isFile {
                if upload.fileBytes.count + buffer.readableBytes > maximumFileBytes {
                    failure = .tooLarge
                    return
                }
                upload.fileBytes.append(contentsOf: buffer.readableBytesView)
            } else {
                otherBytes += buffer.readableBytes
                if otherBytes > MultipartUpload.maximumOtherBytes { failure = .tooLarge; return }
                value.append(contentsOf: buffer.readableBytesView)
            }
        }

        func complete() {
            sawPart = true
            if !isFile, let name {
                let text = String(decoding: value, as: UTF8.self)
                if upload.fields[name] == nil { upload.fields[name] = text }
                upload.lists[name, default: []].append(text)
            }
            name = nil
            isFile = false
            value = []
        }

        /// `UTF-8''percent-encoded` (RFC 5987).
        static func extendedValue(_ raw: String) -> String? {
            guard let quote = raw.range(of: "''") else { return nil }
            return String(raw[quote.upperBound...]).removingPercentEncoding
        }
    }
}

/// A header value with `; name=value` parameters, values quoted or not (RFC 7231).
struct HeaderParameters {
    let value: String
    private var parameters: [String: String] = [:]

    init(_ header: String) {
        var scalars = Substring(header)
        func take(until stop: Character) -> Substring {
            let end = scalars.firstIndex(of: stop) ?? scalars.endIndex
            defer { scalars = scalars[end...] }
            return scalars[..<end]
        }
        value = take(until: ";").trimmingCharacters(in: .whitespaces)
        while scalars.first == ";" {
            scalars.removeFirst()
            let key = take(until: "=").trimmingCharacters(in: .whitespaces).lowercased()
            guard scalars.first == "=" else { break }
            scalars.removeFirst()
            var text = ""
            if scalars.first == "\"" {
                scalars.removeFirst()
                var escaped = false
                while let c = scalars.first {
                    scalars.removeFirst()
                    if escaped {
                        text.append(c); escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        break
                    } else {
                        text.append(c)
                    }
                }
                _ = take(until: ";")
            } else {
                text = take(until: ";").trimmingCharacters(in: .whitespaces)
            }
            if !key.isEmpty && parameters[key] == nil { parameters[key] = text }
        }
    }

    subscript(_ key: String) -> String? { parameters[key] }
}
