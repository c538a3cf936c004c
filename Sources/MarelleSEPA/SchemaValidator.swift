import CXML
import Foundation

/// Checks a direct-debit file against the ISO 20022 schema shipped in `Schemas/`. A schema
/// that cannot be found or read is a failure, never a pass: no file leaves unchecked.
public enum SchemaValidator {
    public struct Failure: Error, Sendable, Hashable {
        /// "line: message", as libxml2 reports them; at most 20.
        public let messages: [String]
    }

    public static func schemaPath(_ version: DirectDebitFile.Version) -> String? {
        Bundle.module.path(forResource: version.rawValue, ofType: "xsd", inDirectory: "Schemas")
    }

    public static func validate(_ xml: String, version: DirectDebitFile.Version) throws(Failure) {
        guard let path = schemaPath(version) else { throw Failure(messages: ["schema \(version.schemaName) missing"]) }
        let capacity = 16_384
        var buffer = [CChar](repeating: 0, count: capacity)
        var bytes = Array(xml.utf8)
        let status = bytes.withUnsafeMutableBufferPointer { xmlBytes in
            xmlBytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: xmlBytes.count) { pointer in
                marelle_xsd_validate(path, pointer, Int32(xmlBytes.count), &buffer, capacity)
            }
        }
        guard status != 0 else { return }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var messages = text.split(separator: "\n").prefix(20).map { line -> String in
            let parts = line.split(separator: "\t", maxSplits: 1)
            return parts.count == 2 ? "line \(parts[0]): \(parts[1])" : String(line)
        }
        if messages.isEmpty {
            messages = [status == -1 ? "schema \(version.schemaName) unreadable" : "not well-formed XML"]
        }
        throw Failure(messages: messages)
    }
}
