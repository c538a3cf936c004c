import Foundation

/// Hands one message to the relay: EHLO, STARTTLS when asked, AUTH PLAIN when credentials
/// are set, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. Blocking: call it from the
/// mail worker's threads.
public struct SMTPClient: Sendable {
    public let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        self.settings = settings
    }

    public func send(_ message: MIMEMessage) throws(SMTPError) {
        let connection = SMTPConnection(settings: settings)
        defer { connection.close() }
        try connection.connect()
        let (greeting, lines) = try connection.readReply()
        guard greeting == 220 else { throw SMTPError(message: "greeting: \(lines.joined(separator: " "))", code: greeting) }
        var capabilities = try connection.command("EHLO \(settings.heloName)", expect: [250])
        let offersTLS = capabilities.contains { $0.uppercased().hasPrefix("STARTTLS") }
        switch settings.security {
        case .required where !offersTLS:
            throw SMTPError(message: "\(settings.host) does not offer STARTTLS, and TLS is required", code: nil)
        case .required where offersTLS, .opportunistic where offersTLS:
            try connection.command("STARTTLS", expect: [220])
            try connection.startTLS()
            capabilities = try connection.command("EHLO \(settings.heloName)", expect: [250])
        default:
            break
        }
        if let username = settings.username, !username.isEmpty {
            let secret = Data(("\0" + username + "\0" + (settings.password ?? "")).utf8).base64EncodedString()
            try connection.command("AUTH PLAIN \(secret)", expect: [235], redacted: true)
        }
        try connection.command("MAIL FROM:<\(message.envelopeFrom)>", expect: [250])
        try connection.command("RCPT TO:<\(MIMEMessage.sanitize(message.to))>", expect: [250, 251])
        try connection.command("DATA", expect: [354])
        // Dot-stuffing (RFC 5321 4.5.2): a line that starts with "." gets another.
        let data = message.rendered().split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
        try connection.write(data)
        try connection.command(".", expect: [250])
        _ = try? connection.command("QUIT", expect: [221])
    }
}
