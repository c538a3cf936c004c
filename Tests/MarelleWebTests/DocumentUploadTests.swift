import Foundation
import HummingbirdTesting
import MarelleTestSupport
import Testing

@Suite("Transmettre des documents: uploads, types, sizes and names")
struct DocumentUploadTests {
    static func stored(_ family: SignedInFamily) async throws -> [DocumentStore.Document] {
        try await family.inTenant { tx in try DocumentStore().list(tx, familyID: family.familyID) }
    }

    func upload(
        _ client: WebClient, _ family: SignedInFamily, name: String?, bytes: [UInt8], kind: String = "insurance",
        child: String? = nil
    ) async throws -> TestClient.Response {
        var fields = ["_csrf": family.csrf, "kind": kind]
        if let child { fields["childId"] = child }
        return try await Multipart.post(
            client, "/documents", host: family.host, cookies: family.cookies, fields: fields, fileName: name, bytes: bytes)
    }

    @Test("the empty page says so; a png renamed .exe is a png; the owner downloads the same bytes, safely")
    func uploadAndDownload() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let empty = try await family.get(client, "/documents")
            #expect(empty.text.contains("Aucun document envoyé pour le moment"))
            #expect(
                empty.text.contains("Formats autorisés : pdf, png, gif, jpg, max 10 Mo")
                    && empty.text.contains(">Envoyer</button>"))
            #expect(empty.text.contains("Traitement des données") && empty.text.contains("Enfant concerné (facultatif)"))
            let sent = try await upload(
                client, family, name: "attestation.exe", bytes: Multipart.png, child: String(family.childID))
            #expect(sent.status == .seeOther)
            let document = try #require(try await Self.stored(family).first)
            #expect(
                document.fileName == "attestation.png" && document.type == .png && document.status == .received
                    && document.childID == family.childID)
            let page = try await family.get(client, "/documents")
            #expect(page.text.contains("attestation.png") && page.text.contains("reçu, en attente de vérification"))
            let download = try await family.get(client, "/documents/\(document.id)")
            #expect(download.status == .ok)
            #expect(download.body.map { Array($0.readableBytesView) } == Multipart.png)
            #expect(download.headers[.contentType] == "image/png")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"attestation.png\"") == true)
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
            #expect(download.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
        }
    }

    @Test(
        "refused uploads change nothing",
        arguments: [
            ("certificat.pdf", Array("<html><script>alert(1)</script></html>".utf8), "ni un pdf"),
            ("vide.pdf", [], "Ce fichier est vide."),
            ("notes.txt", Array("just text".utf8), "ni un pdf"),
        ])
    func refused(name: String, bytes: [UInt8], message: String) async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let response = try await upload(client, family, name: name, bytes: bytes)
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains(message))
            #expect(try await Self.stored(family).isEmpty)
        }
    }

    @Test("10 MB + 1 byte is refused with 413; exactly 10 MB is accepted")
    func sizeLimit() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let limit = 10 * 1024 * 1024
            let tooBig = Multipart.pdf + [UInt8](repeating: 0x20, count: limit + 1 - Multipart.pdf.count)
            let body = Array(
                Multipart.body(fields: ["_csrf": family.csrf, "kind": "other"], fileName: "gros.pdf", bytes: tooBig)
                    .readableBytesView)
            let head =
                "POST /documents HTTP/1.1\r\nHost: \(family.host)\r\nCookie: \(AccountFixtures.sessionCookie)=\(family.session)\r\n"
                + "Sec-Fetch-Site: same-origin\r\nContent-Type: multipart/form-data; boundary=\(Multipart.boundary)\r\nContent-Length: \(body.count)\r\n\r\n"
            let refused = try await RawUpload.send(port: client.port, head: head) { sent in
                sent < body.count ? Array(body[sent..<min(sent + 65536, body.count)]) : nil
            }
            #expect(refused.status == 413)
            #expect(try await Self.stored(family).isEmpty)
            let exact = Array(tooBig.dropLast())
            #expect(try await upload(client, family, name: "juste.pdf", bytes: exact).status == .seeOther)
            #expect(try await Self.stored(family).first?.byteSize == limit)
        }
    }

    @Test("a 2 GB upload is answered 413 once past 10 MB, long before it is all sent")
    func hugeUploadIsCut() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let head =
                "POST /documents HTTP/1.1\r\nHost: \(family.host)\r\nCookie: \(AccountFixtures.sessionCookie)=\(family.session)\r\n"
                + "Sec-Fetch-Site: same-origin\r\nContent-Type: multipart/form-data; boundary=\(Multipart.boundary)\r\nTransfer-Encoding: chunked\r\n\r\n"
            let preamble =
                Array(
                    "--\(Multipart.boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(family.csrf)\r\n--\(Multipart.boundary)\r\nContent-Disposition: form-data; name=\"document\"; filename=\"enorme.pdf\"\r\n\r\n"
                        .utf8) + Multipart.pdf
            let filler = [UInt8](repeating: 0x41, count: 65536)
            let total = 2 * 1024 * 1024 * 1024
            let result = try await RawUpload.send(port: client.port, head: head) { sent in
                guard sent < total else { return nil }
                let data = sent == 0 ? preamble : filler
                return Array((String(data.count, radix: 16) + "\r\n").utf8) + data + Array("\r\n".utf8)
            }
            #expect(result.status == 413)
            #expect(result.bytesSent < 40 * 1024 * 1024, "sent \(result.bytesSent) bytes before the answer")
            #expect(try await Self.stored(family).isEmpty)
        }
    }

    @Test(
        "file names lose directories, quotes, line breaks and bidi overrides",
        arguments: [
            ("../../etc/passwd.pdf", "passwd.pdf"),
            ("a\"b'c.pdf", "abc.pdf"),
            ("ligne\r\nContent-Type: text/html.pdf", "html.pdf"),
            ("facture\u{202E}fdp.exe", "facturefdp.pdf"),
            ("C:\\Users\\moi\\Scan 1.pdf", "Scan 1.pdf"),
        ])
    func names(raw: String, expected: String) async throws {
        #expect(FileName.sanitized(raw, type: .pdf) == expected)
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            #expect(try await upload(client, family, name: raw, bytes: Multipart.pdf).status == .seeOther)
            let name = try #require(try await Self.stored(family).first?.fileName)
            #expect(
                !name.contains("/") && !name.contains("\"") && !name.contains("\r") && !name.contains("\n")
                    && !name.contains("\u{202E}"))
            #expect(name.hasSuffix(".pdf"))
        }
    }

    @Test("a child of another family or tenant is a 404 and nothing is stored; other families cannot download")
    func foreignIDs() async throws {
        try await WebTestServer.with { client in
            let family = try await SignedInFamily.make(client)
            let neighbour = try await SignedInFamily.make(client, tenant: family.tenant)
            let elsewhere = try await SignedInFamily.make(client)
            let foreignID = try await FamilyFixtures.childBeyond(neighbour.childID, in: elsewhere)
            for child in [String(neighbour.childID), String(foreignID), "abc"] {
                #expect(try await upload(client, family, name: "a.pdf", bytes: Multipart.pdf, child: child).status == .notFound)
            }
            #expect(try await Self.stored(family).isEmpty)
            #expect(try await upload(client, neighbour, name: "voisin.pdf", bytes: Multipart.pdf).status == .seeOther)
            let theirs = try #require(try await Self.stored(neighbour).first)
            #expect(try await family.get(client, "/documents/\(theirs.id)").status == .notFound)
            #expect(
                try await client.get("/documents/\(theirs.id)", host: elsewhere.host, cookies: elsewhere.cookies).status
                    == .notFound)
            // No CSRF token, nothing stored.
            let forged = try await Multipart.post(
                client, "/documents", host: family.host, cookies: family.cookies, fields: ["kind": "other"],
                fileName: "a.pdf", bytes: Multipart.pdf)
            #expect(forged.status == .forbidden)
            #expect(try await Self.stored(family).isEmpty)
        }
    }
}
