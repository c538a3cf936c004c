import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleStore

/// The parents' right of access: everything the association holds about their family, as
/// one zip with `famille.json` and the documents, byte for byte. Pages and API share it.
struct FamilyExport: Sendable {
    let useCases: UseCases

    func response(tenant: Tenant, account: Account, ip: String?) async throws -> Response {
        guard let familyID = account.familyID else {
            throw HTTPError(.forbidden, message: tr("FamilyExport.l_export_concerne_les_familles"))
        }
        guard let export = try await useCases.families.export(tenant: tenant, account: account, familyID: familyID, ip: ip)
        else { throw HTTPError(.notFound) }
        let now = Date()
        let time = ParisClock.time(of: now)
        var zip = ZipArchive(date: ParisClock.date(of: now), hour: time.hour, minute: time.minute)
        zip.add("famille.json", Array(export.json.utf8))
        for document in export.documents { zip.add(document.name, document.bytes) }
        let name = "donnees-famille-\(tenant.slug)-\(ParisClock.date(of: now).iso).zip"
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip", .contentDisposition: FileName.contentDisposition(name),
                .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: zip.bytes())))
    }
}
