import Foundation
import MarelleMail
import Testing

@Suite("Mail messages")
struct MIMEMessageTests {
    let message = MIMEMessage(
        from: "Les Petits Malins <no-reply@exemple.fr>", to: "marie@exemple.fr",
        subject: "Réservation reçue\r\nBcc: victime@exemple.fr", body: "Bonjour,\n.\nune ligne avec un point seul ci-dessus.\n",
        messageID: "outbox-t_1-7@exemple.fr", date: Date(timeIntervalSince1970: 0))

    @Test("a subject cannot inject a header, and UTF-8 is an encoded word")
    func headers() {
        let text = message.rendered()
        let headerBlock = text.components(separatedBy: "\r\n\r\n")[0]
        #expect(!headerBlock.contains("\r\nBcc:"))
        #expect(headerBlock.contains("Subject: =?UTF-8?B?"))
        #expect(headerBlock.contains("From: Les Petits Malins <no-reply@exemple.fr>"))
        #expect(headerBlock.contains("Message-ID: <outbox-t_1-7@exemple.fr>"))
        #expect(headerBlock.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(message.envelopeFrom == "no-reply@exemple.fr")
    }

    @Test("the body travels in base64 and decodes to the text with CRLF line ends")
    func body() throws {
        let encoded = message.rendered().components(separatedBy: "\r\n\r\n")[1].replacingOccurrences(of: "\r\n", with: "")
        let decoded = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
        #expect(decoded == "Bonjour,\r\n.\r\nune ligne avec un point seul ci-dessus.\r\n")
    }
}
