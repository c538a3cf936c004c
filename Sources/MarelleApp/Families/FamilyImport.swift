import Foundation
import MarelleCore
import MarelleDatabase
import MarelleStore

/// `marelle family import`: families, their parents and children from a CSV file, all or
/// nothing. Rows with the same `family` belong to one family; a row fills a parent, a
/// child, or both. Every row is checked with the rules of the pages, every problem is
/// reported with its line number, and a file with any problem imports nothing.
public struct FamilyImport: Sendable {
    public let database: Database
    public let invitations: InvitationService

    public init(runtime: Runtime) {
        self.database = runtime.database
        self.invitations = runtime.invitations
    }

    /// The columns, as documented in the README; `family` is required, the others optional.
    public static let columns = [
        "family", "guardian_civility", "guardian_first_name", "guardian_last_name", "guardian_email", "guardian_mobile_phone",
        "guardian_street", "guardian_postal_code", "guardian_city", "guardian_employer", "guardian_caf_number",
        "guardian_quotient",
        "invite", "child_first_name", "child_last_name", "child_birth_date", "child_sex", "child_school", "child_level",
        "child_allergies",
        "child_diet",
    ]

    public struct Report: Sendable, Equatable {
        public var families = 0
        public var guardians = 0
        public var children = 0
        public var invitations = 0
    }

    public struct Failure: Error, CustomStringConvertible {
        public let lines: [String]
        public var description: String { lines.joined(separator: "\n") }
    }

    private struct Row {
        public let line: Int
        public let family: String
        public let guardian: GuardianDraft?
        public let invite: Bool
        public let child: ChildDraft?
    }

    public func run(tenant: Tenant, csv: String, by actor: Actor, today: LocalDate) async throws -> Report {
        let table: CSVTable
        do { table = try CSVTable(parsing: csv) } catch { throw Failure(lines: ["\(error)"]) }
        let unknown = table.header.filter { !Self.columns.contains($0) }
        guard unknown.isEmpty, table.header.contains("family") else {
            throw Failure(lines: [
                "line 1: "
                    + (unknown.isEmpty
                        ? "the column 'family' is required" : "unknown column(s) \(unknown.joined(separator: ", "))")
                    + "; the columns are: \(Self.columns.joined(separator: ", "))"
            ])
        }
        var errors: [String] = []
        var rows: [Row] = []
        var emails: Set<String> = []
        for record in table.records {
            func v(_ column: String) -> String { table.value(column, in: record.fields) }
            func report(_ problems: [FieldProblem], prefix: String) {
                errors += problems.map { "line \(record.line): \(prefix)\($0.field): \($0.message)" }
            }
            if record.fields.count > table.header.count { errors.append("line \(record.line): more fields than columns") }
            // The pages' and the API's rule: no control character in any cell, named by column.
            for (column, cell) in zip(table.header, record.fields) where ControlCharacters.found(in: cell) {
                errors.append("line \(record.line): \(column): a control character (invisible, such as NUL) is not allowed")
            }
            let family = v("family")
            if family.isEmpty || family.count > 200 {
                errors.append("line \(record.line): family: the family's name is required (200 characters at most)")
            }
            var guardian: GuardianDraft?
            if !(v("guardian_first_name") + v("guardian_last_name") + v("guardian_email")).isEmpty {
                let (draft, parseProblems) = GuardianForm.draft(
                    FormData(fields: [
                        "civility": v("guardian_civility"), "firstName": v("guardian_first_name"),
                        "lastName": v("guardian_last_name"),
                        "email": v("guardian_email"), "mobilePhone": v("guardian_mobile_phone"), "street": v("guardian_street"),
                        "postalCode": v("guardian_postal_code"), "city": v("guardian_city"), "employer": v("guardian_employer"),
                        "cafNumber": v("guardian_caf_number"), "quotient": v("guardian_quotient"),
                    ]))
                // A phone may be missing at import: the parent completes the card later.
                report(
                    parseProblems + draft.problems.filter { !($0.field == "mobilePhone" && draft.mobilePhone.isEmpty) },
                    prefix: "guardian ")
                if let email = draft.email {
                    if !emails.insert(email).inserted {
                        errors.append("line \(record.line): guardian email: \(email) appears twice in the file")
                    }
                }
                guardian = draft
            }
            let invite = ["oui", "yes", "1", "true"].contains(v("invite").lowercased())
            if invite && (guardian?.email ?? "").isEmpty {
                errors.append("line \(record.line): invite: an invitation needs the guardian's e-mail")
            }
            var child: ChildDraft?
            if !(v("child_first_name") + v("child_last_name") + v("child_birth_date")).isEmpty {
                let draft = ChildForm.draft(
                    FormData(fields: [
                        "firstName": v("child_first_name"), "lastName": v("child_last_name"), "birthDate": v("child_birth_date"),
                        "sex": v("child_sex"), "school": v("child_school"), "level": v("child_level"),
                        "allergies": v("child_allergies"),
                        "diet": v("child_diet"),
                    ]))
                report(draft.problems(today: today), prefix: "child ")
                if !v("child_level").isEmpty && draft.level == nil {
                    errors.append(
                        "line \(record.line): child level: '\(v("child_level"))' is not one of \(SchoolLevel.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                child = draft
            }
            if guardian == nil && child == nil {
                errors.append("line \(record.line): the row has neither a guardian nor a child")
            }
            rows.append(Row(line: record.line, family: family, guardian: guardian, invite: invite, child: child))
        }
        if table.records.isEmpty { errors.append("the file has a header but no rows") }
        guard errors.isEmpty else { throw Failure(lines: errors) }
        return try await store(rows, tenant: tenant, by: actor)
    }

    /// Writes the rows in one transaction: an error on any row (an e-mail already used by an
    /// account, say) rolls the whole file back.
    private func store(_ rows: [Row], tenant: Tenant, by actor: Actor) async throws -> Report {
        try await database.withTenant(try tenant.scope()) { tx in
            var report = Report()
            var families: [String: Int] = [:]
            let file = FamilyFileStore()
            for row in rows {
                let familyID: Int
                if let id = families[row.family] {
                    familyID = id
                } else {
                    familyID = try FamilyStore().create(tx, name: row.family)
                    families[row.family] = familyID
                    report.families += 1
                }
                if let guardian = row.guardian {
                    let id = try file.addGuardian(tx, familyID: familyID, accountID: nil, guardian)
                    report.guardians += 1
                    if row.invite, let email = guardian.email.flatMap(EmailAddress.init) {
                        do {
                            _ = try invitations.invite(
                                in: tx, tenant: tenant, email: email, role: .parent, familyID: familyID, guardianID: id, by: actor
                            )
                        } catch let failure as InvitationService.Failure {
                            throw Failure(lines: ["line \(row.line): invite: \(failure.description); nothing was imported"])
                        }
                        report.invitations += 1
                    }
                }
                if let child = row.child {
                    try file.addChild(tx, familyID: familyID, child)
                    report.children += 1
                }
            }
            try AuditLog().record(
                tx, actor: actor, action: "family.import",
                detail: [
                    "families": String(report.families), "guardians": String(report.guardians),
                    "children": String(report.children),
                ])
            return report
        }
    }
}
