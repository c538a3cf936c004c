import Foundation
import HTTPTypes
import HummingbirdTesting
import MarelleTestSupport
import NIOCore
import Testing

/// A family as the product makes it (an invited parent) with a child, signed in.
struct SignedInFamily {
    let tenant: Tenant
    let host: String
    let account: Account
    let familyID: Int
    let childID: Int
    let session: String
    let csrf: String

    var cookies: [String: String] { [AccountFixtures.sessionCookie: session] }

    static func make(_ client: WebClient, tenant: Tenant? = nil, childFirstName: String = "Léa") async throws -> SignedInFamily {
        let tenant = if let tenant { tenant } else { try await TestEnvironment.makeTenant() }
        let host = "\(tenant.slug).localhost"
        let account = try await AccountFixtures.account(in: tenant)
        let familyID = try #require(account.familyID)
        var child = ChildDraft()
        (child.firstName, child.lastName, child.birthDate, child.level) = (
            childFirstName, "Test", LocalDate(iso: "2020-03-14"), .ms
        )
        child.allergies = "Arachide"
        let draft = child
        let childID = try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in
            try FamilyFileStore().addChild(tx, familyID: familyID, draft)
        }
        let session = try await AccountFixtures.sessionID(client, host: host, email: account.email)
        let page = try await client.get("/mon-compte", host: host, cookies: [AccountFixtures.sessionCookie: session])
        let csrf = try #require(page.hiddenField("_csrf") ?? Self.csrf(in: page.text))
        return SignedInFamily(
            tenant: tenant, host: host, account: account, familyID: familyID, childID: childID, session: session, csrf: csrf)
    }

    /// The layout's logout form carries the token on every signed-in page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    func post(_ client: WebClient, _ path: String, _ form: [String: String]) async throws -> TestClient.Response {
        var fields = form
        fields["_csrf"] = csrf
        return try await client.post(path, host: host, form: fields, cookies: cookies)
    }

    func get(_ client: WebClient, _ path: String) async throws -> TestClient.Response {
        try await client.get(path, host: host, cookies: cookies)
    }

    func inTenant<T: Sendable>(_ body: @escaping @Sendable (Session) throws -> T) async throws -> T {
        try await TestEnvironment.runtime().database.withTenant(try tenant.scope()) { tx in try body(tx) }
    }
}

/// multipart/form-data bodies as browsers send them.
enum Multipart {
    static let boundary = "----MarelleTestBoundary7MA4YWxkTrZu0gW"

    static func body(fields: [String: String], fileName: String?, bytes: [UInt8], fileField: String = "document") -> ByteBuffer {
        var buffer = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if let fileName {
            let escaped = fileName.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
            buffer.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(escaped)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            buffer.writeBytes(bytes)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return buffer
    }

    static func post(
        _ client: WebClient, _ path: String, host: String, cookies: [String: String] = [:], token: String? = nil,
        fields: [String: String], fileName: String?, bytes: [UInt8], fileField: String = "document"
    ) async throws -> TestClient.Response {
        var headers = WebClient.headers(host, [:], cookies)
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.client.post(
            path, headers: headers, body: body(fields: fields, fileName: fileName, bytes: bytes, fileField: fileField))
    }

    static let png: [UInt8] =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("rest of a tiny png".utf8) + (0..<64).map { UInt8($0) }
    static let pdf: [UInt8] = Array("%PDF-1.4\n% une attestation\n".utf8) + (0..<200).map { UInt8($0 & 0x7F) }
}

/// The entries of a stored (uncompressed) ZIP archive, name to bytes.
enum ZipReader {
    static func entries(_ bytes: [UInt8]) -> [String: [UInt8]] {
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var result: [String: [UInt8]] = [:]
        var offset = 0
        while offset + 30 <= bytes.count, u32(offset) == 0x0403_4b50 {
            let size = u32(offset + 18), nameLength = u16(offset + 26), extra = u16(offset + 28)
            let name = String(decoding: bytes[(offset + 30)..<(offset + 30 + nameLength)], as: UTF8.self)
            let start = offset + 30 + nameLength + extra
            result[name] = Array(bytes[start..<(start + size)])
            offset = start + size
        }
        return result
    }
}

enum FamilyFixtures {
    /// A child of `family` whose id is above `floor`: ids count per tenant schema, so a
    /// "child of another tenant" must not share an id with one of this tenant's children.
    static func childBeyond(_ floor: Int, in family: SignedInFamily) async throws -> Int {
        try await family.inTenant { tx in
            var id = 0
            while id <= floor {
                var child = ChildDraft()
                (child.firstName, child.lastName, child.birthDate) = ("Ailleurs", "Test", LocalDate(iso: "2019-01-01"))
                id = try FamilyFileStore().addChild(tx, familyID: family.familyID, child)
            }
            return id
        }
    }
}
