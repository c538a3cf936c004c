import Foundation
import Hummingbird
import MarelleApp
import MarelleCore
import MarelleSEPA
import MarelleStore

/// Direct debit in the API. Parents: `GET`/`POST /family/mandates`, `POST
/// /family/mandates/{id}/revoke`. The direction: the same under `/families/{family}/mandates`
/// (a `POST` there is a paper mandate), `GET`/`PUT /direct-debit` (the creditor),
/// `/direct-debit/batches` (list, prepare, read, delete a draft), `POST
/// /direct-debit/batches/{id}/file?version=` (sends the batch the first time; the pain.008
/// XML, or 422 with the reasons), `POST /direct-debit/batches/{id}/lines/{line}/reject`, and
/// `POST /direct-debit/returns` (a camt.054 notice as the body).
struct DirectDebitAPIController {
    let debits: DirectDebits

    struct SignInput: Decodable {
        let debtorName: String
        let iban: String
        let bic: String
        let agree: Bool?
        /// Paper mandates (staff): the form's reference and signature date.
        let reference: String?
        let signedOn: String?
    }

    struct CreditorInput: Decodable {
        let creditorName: String
        let iban: String?
        let bic: String
        let identifier: String
        let enabled: Bool?
    }

    struct PrepareInput: Decodable {
        let collectionDate: String
    }

    struct RejectInput: Decodable {
        let reason: String
        let on: String?
    }

    static func problem(_ failure: DirectDebits.Failure) -> Problem {
        switch failure {
        case .notFound: .notFound
        case .invalid(let problems): .invalid(problems)
        case .unavailable:
            Problem(status: .conflict, title: tr("DirectDebitAPI.unavailable_title"), detail: tr("DirectDebitPages.unavailable"))
        case .nothingToCollect:
            Problem(
                status: .unprocessableContent, title: tr("DirectDebitAPI.nothing_title"),
                detail: tr("DirectDebitPages.nothing_to_collect"))
        case .fileRefused(let reasons):
            Problem(
                status: .unprocessableContent, title: tr("DirectDebitAPI.refused_title"), detail: reasons.joined(separator: " "),
                errors: reasons.map { FieldProblem(field: "file", message: $0) })
        case .wrongState:
            Problem(status: .conflict, title: tr("DirectDebitAPI.state_title"), detail: tr("DirectDebitPages.not_collected"))
        }
    }

    /// Runs `body`, turning the use case's refusals into problem+json.
    static func answer<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let failure as DirectDebits.Failure { throw problem(failure) }
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        for prefix in ["/family", "/families/{family}"] {
            api.get("\(prefix)/mandates") { _, context in
                let tenant = try context.requireTenant()
                let (_, familyID) = try context.requireAPIFamily(writing: true)
                let mandates = try await Self.answer { try await debits.mandates(tenant: tenant, familyID: familyID) }
                return JSONReply(mandates.map(MandateBody.init))
            }
            api.post("\(prefix)/mandates") { request, context in
                let tenant = try context.requireTenant()
                let (account, familyID) = try context.requireAPIFamily(writing: true)
                let input = try await JSONBody.decode(request, as: SignInput.self)
                let id = try await Self.answer {
                    account.role == .parent
                        ? try await debits.sign(
                            tenant: tenant, parent: account, familyID: familyID, debtorName: input.debtorName, iban: input.iban,
                            bic: input.bic, agreed: input.agree ?? false, ip: context.remoteIP)
                        : try await debits.enterPaper(
                            tenant: tenant, staff: account, familyID: familyID, reference: input.reference ?? "",
                            debtorName: input.debtorName, iban: input.iban, bic: input.bic, signedOn: input.signedOn ?? "",
                            ip: context.remoteIP)
                }
                guard let mandate = try await debits.mandate(tenant: tenant, id: id, familyID: familyID) else {
                    throw Problem.notFound
                }
                return JSONReply(status: .created, MandateBody(mandate))
            }
            api.post("\(prefix)/mandates/{id}/revoke") { _, context in
                let tenant = try context.requireTenant()
                let (account, familyID) = try context.requireAPIFamily(writing: true)
                let id = try context.requirePathID()
                try await Self.answer {
                    try await debits.revoke(tenant: tenant, by: account, id: id, familyID: familyID, ip: context.remoteIP)
                }
                guard let mandate = try await debits.mandate(tenant: tenant, id: id, familyID: familyID) else {
                    throw Problem.notFound
                }
                return JSONReply(MandateBody(mandate))
            }
        }
        api.get("/direct-debit") { _, context in
            let tenant = try context.requireTenant()
            _ = try context.requireAPIStaff(writing: true)
            return JSONReply(CreditorBody(try await debits.creditor(tenant: tenant)))
        }
        api.put("/direct-debit") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let input = try await JSONBody.decode(request, as: CreditorInput.self)
            try await Self.answer {
                try await debits.configure(
                    tenant: tenant, staff: staff, name: input.creditorName, iban: input.iban ?? "", bic: input.bic,
                    identifier: input.identifier, enabled: input.enabled ?? true, ip: context.remoteIP)
            }
            return JSONReply(CreditorBody(try await debits.creditor(tenant: tenant)))
        }
        registerBatches(on: api)
    }

    func registerBatches(on api: RouterGroup<AppRequestContext>) {
        api.get("/direct-debit/batches") { _, context in
            let tenant = try context.requireTenant()
            _ = try context.requireAPIStaff(writing: true)
            return JSONReply(try await debits.batches(tenant: tenant).map { DebitBatchBody($0, lines: nil) })
        }
        api.post("/direct-debit/batches") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let input = try await JSONBody.decode(request, as: PrepareInput.self)
            let id = try await Self.answer {
                try await debits.prepare(
                    tenant: tenant, staff: staff, collectionDate: input.collectionDate, ip: context.remoteIP)
            }
            return JSONReply(status: .created, try await batchBody(tenant, id))
        }
        api.get("/direct-debit/batches/{id}") { _, context in
            let tenant = try context.requireTenant()
            _ = try context.requireAPIStaff(writing: true)
            return JSONReply(try await batchBody(tenant, try context.requirePathID()))
        }
        api.delete("/direct-debit/batches/{id}") { _, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let id = try context.requirePathID()
            try await Self.answer { try await debits.delete(tenant: tenant, staff: staff, batchID: id, ip: context.remoteIP) }
            return Response(status: .noContent)
        }
        api.post("/direct-debit/batches/{id}/file") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let id = try context.requirePathID()
            let asked = request.uri.queryParameters.get("version") ?? DirectDebitFile.Version.v08.rawValue
            guard let version = DirectDebitFile.Version(rawValue: asked) else {
                throw Problem.invalid([FieldProblem(field: "version", message: tr("DirectDebitAPI.version_invalid"))])
            }
            let file = try await Self.answer {
                try await debits.file(tenant: tenant, staff: staff, batchID: id, version: version, ip: context.remoteIP)
            }
            return FileDownload(bytes: ByteBuffer(string: file.xml), contentType: "application/xml", fileName: file.name)
                .response
        }
        api.post("/direct-debit/batches/{id}/lines/{line}/reject") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            let id = try context.requirePathID()
            guard let line = context.parameters.get("line", as: Int.self) else { throw Problem.notFound }
            let input = try await JSONBody.decode(request, as: RejectInput.self)
            try await Self.answer {
                try await debits.reject(
                    tenant: tenant, staff: staff, batchID: id, lineID: line, code: input.reason, on: input.on ?? "",
                    ip: context.remoteIP)
            }
            return JSONReply(try await batchBody(tenant, id))
        }
        api.post("/direct-debit/returns") { request, context in
            let tenant = try context.requireTenant()
            let staff = try context.requireAPIStaff(writing: true)
            var request = request
            let body: [UInt8]
            do {
                body = Array(try await request.collectBody(upTo: 5 * 1024 * 1024).readableBytesView)
            } catch {
                throw Problem(
                    status: .contentTooLarge, title: tr("DirectDebitAPI.too_large_title"),
                    detail: tr("DirectDebitPages.notice_missing"))
            }
            let report = try await Self.answer {
                try await debits.importReturns(tenant: tenant, staff: staff, notice: body, ip: context.remoteIP)
            }
            return JSONReply(ReturnsBody(rejected: report.rejected, alreadyRejected: report.already, unknown: report.unknown))
        }
    }

    func batchBody(_ tenant: Tenant, _ id: Int) async throws -> DebitBatchBody {
        guard let (batch, lines) = try await debits.batch(tenant: tenant, id: id) else { throw Problem.notFound }
        return DebitBatchBody(batch, lines: lines)
    }
}

/// A mandate as the API shows it: the account masked, the signature's record.
struct MandateBody: Encodable {
    let id: Int
    let reference: String
    let debtorName: String
    let ibanMasked: String
    let bic: String
    let signedOn: String
    let source: String
    let signedBy: String?
    let signedFrom: String?
    let signedAt: Date
    let state: String
    let revokedReason: String?
    let lastRejectReason: String?
    let rejects: Int

    init(_ m: MandateStore.Mandate) {
        (id, reference, debtorName, ibanMasked, bic) = (m.id, m.reference, m.debtorName, IBAN.mask(m.iban), m.bic)
        (signedOn, source, signedBy, signedFrom, signedAt) = (
            m.signedOn.iso, m.source.rawValue, m.signedByName, m.signedFrom, m.signedAt
        )
        (state, revokedReason, lastRejectReason, rejects) = (m.state.rawValue, m.revokedReason, m.lastRejectReason, m.rejects)
    }
}

struct CreditorBody: Encodable {
    let configured: Bool
    let creditorName: String?
    let ibanMasked: String?
    let bic: String?
    let identifier: String?
    let enabled: Bool

    init(_ c: MandateStore.Creditor?) {
        (configured, creditorName, ibanMasked) = (c != nil, c?.name, c.map { IBAN.mask($0.iban) })
        (bic, identifier, enabled) = (c?.bic, c?.identifier, c?.enabled ?? false)
    }
}

struct DebitBatchBody: Encodable {
    struct Line: Encodable {
        let id: Int
        let familyId: Int?
        let familyName: String
        let invoiceId: Int
        let invoiceNumber: String
        let amountCents: Int
        let sequence: String
        let endToEndId: String
        let mandateReference: String
        let ibanMasked: String
        let state: String
        let paymentId: Int?
        let rejectReason: String?
        let rejectedOn: String?
    }

    let id: Int
    let collectionDate: String
    let state: String
    let messageId: String?
    let lineCount: Int
    let totalCents: Int
    let rejectedCount: Int
    let lines: [Line]?

    init(_ b: DebitBatchStore.Batch, lines: [DebitBatchStore.Line]?) {
        (id, collectionDate, state, messageId) = (b.id, b.collectionDate.iso, b.state.rawValue, b.messageID)
        (lineCount, totalCents, rejectedCount) = (b.lineCount, b.totalCents, b.rejectedCount)
        self.lines = lines?.map {
            Line(
                id: $0.id, familyId: $0.familyID, familyName: $0.familyName, invoiceId: $0.invoiceID,
                invoiceNumber: $0.invoiceNumber, amountCents: $0.amountCents, sequence: $0.sequence,
                endToEndId: $0.endToEndID, mandateReference: $0.mandateReference, ibanMasked: IBAN.mask($0.iban),
                state: $0.state.rawValue, paymentId: $0.paymentID, rejectReason: $0.rejectReason,
                rejectedOn: $0.rejectedOn?.iso)
        }
    }
}

struct ReturnsBody: Encodable {
    let rejected: [String]
    let alreadyRejected: [String]
    let unknown: [String]
}
