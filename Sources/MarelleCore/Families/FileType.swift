import Foundation

/// The four kinds of file families may send, recognised by their first bytes: a file's name
/// and the Content-Type its browser claims are both chosen by the sender.
public enum FileType: String, Sendable, Hashable, CaseIterable {
    case pdf, png, gif, jpeg

    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .gif: "image/gif"
        case .jpeg: "image/jpeg"
        }
    }

    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    public init?(mediaType: String) {
        guard let type = Self.allCases.first(where: { $0.mediaType == mediaType }) else { return nil }
        self = type
    }

    /// The type whose signature starts `bytes`, or nil (HTML, an executable, an empty file...).
    public init?(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(8))
        func starts(_ signature: [UInt8]) -> Bool { head.starts(with: signature) }
        if starts(Array("%PDF-".utf8)) {
            self = .pdf
        } else if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) {
            self = .gif
        } else if starts([0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else {
            return nil
        }
    }
}

/// A file name as a sender typed it, made safe to store, show and put back in a
/// `Content-Disposition` header: no directory, no control or bidi-override character, no
/// quote, a bounded length, and the extension of the type actually found in the bytes.
public enum FileName {
    public static func sanitized(_ raw: String, type: FileType) -> String {
        // Browsers on Windows may send the whole path; keep the last component.
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(
            String.UnicodeScalarView(
                last.unicodeScalars.filter { scalar in
                    switch scalar.properties.generalCategory {
                    case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: false
                    default: !"\"'<>:*?|;%`$".unicodeScalars.contains(scalar)
                    }
                }))
        var stem = cleaned.trimmingCharacters(in: .whitespaces)
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
        while stem.hasPrefix(".") { stem.removeFirst() }
        stem = stem.trimmingCharacters(in: .whitespaces)
        if stem.isEmpty { stem = "document" }
        return String(stem.prefix(100)) + "." + type.fileExtension
    }

    /// `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266).
    public static func contentDisposition(_ name: String) -> String {
        let ascii = String(
            name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        let hex = Array("0123456789ABCDEF")
        let encoded = name.utf8.map {
            allowed.contains($0) ? String(UnicodeScalar($0)) : "%\(hex[Int($0 >> 4)])\(hex[Int($0 & 15)])"
        }.joined()
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
