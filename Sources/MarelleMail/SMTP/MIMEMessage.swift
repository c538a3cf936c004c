import Foundation

/// A plain-text mail in RFC 5322 form: UTF-8 subject as an encoded word, body in base64 (so
/// no 8BITMIME is needed and no line is too long), CRLF line ends. The Message-ID is
/// derived from the outbox row, so a relay that sees the same message twice can tell.
public struct MIMEMessage: Sendable {
    public let from: String
    public let to: String
    public let subject: String
    public let body: String
    public let messageID: String
    public let date: Date

    public init(from: String, to: String, subject: String, body: String, messageID: String, date: Date = Date()) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.date = date
    }

    /// The bare address of `from` (`a@b.fr` out of `Nom <a@b.fr>`), for MAIL FROM.
    public var envelopeFrom: String {
        if let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close {
            return String(from[from.index(after: open)..<close])
        }
        return from
    }

    public func rendered() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let encoded = Data(body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let headers = [
            "From: \(Self.encodeDisplayName(from))",
            "To: \(Self.sanitize(to))",
            "Subject: \(Self.encodeWord(subject))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(Self.sanitize(messageID))>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encoded + "\r\n"
    }

    /// Header values never carry CR or LF: no header can be injected through a subject.
    static func sanitize(_ value: String) -> String {
        value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    static func encodeWord(_ text: String) -> String {
        let clean = sanitize(text)
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) { return clean }
        return "=?UTF-8?B?" + Data(clean.utf8).base64EncodedString() + "?="
    }

    static func encodeDisplayName(_ from: String) -> String {
        let clean = sanitize(from)
        guard let open = clean.lastIndex(of: "<") else { return clean }
        let name = clean[..<open].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? String(clean[open...]) : "\(encodeWord(name)) \(clean[open...])"
    }
}
