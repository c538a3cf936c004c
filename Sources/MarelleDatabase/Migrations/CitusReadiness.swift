import Foundation

/// What Citus schema-based sharding (`citus_schema_distribute`, Citus 12) refuses in a
/// distributed schema, looked for in the tenant migrations: a tenant schema must stay a
/// self-contained unit that can move to another node whole (Deploy/SCALE.md).
///
/// A text check, not a parser: comments and string literals are blanked first, then each
/// statement is matched. It errs on the side of flagging; a false alarm is fixed by writing
/// the statement another way, never by an exception list.
public enum CitusReadiness {
    /// Schemas a tenant migration could name: the control schema, the shared ones, others'.
    static let foreignSchemas = #"(marelle|public|pg_catalog|information_schema|t_[0-9]+)"#

    static let rules: [(pattern: String, reason: String)] = [
        (#"\b"# + foreignSchemas + #"\s*\."#, "names an object of another schema (a tenant schema must be self-contained)"),
        (#"\bREFERENCES\s+"?[a-z_][a-z0-9_]*"?\s*\."#, "a foreign key to a table of another schema"),
        (#"\bINHERITS\s*\("#, "table inheritance"),
        (#"\bSET\s+SCHEMA\b"#, "SET SCHEMA (moves an object out of the tenant's schema)"),
        (#"\bCREATE\s+SCHEMA\b"#, "CREATE SCHEMA (the server creates tenant schemas; CREATE SCHEMA ... CREATE TABLE is refused)"),
        (
            #"\bSET\s+(LOCAL\s+)?search_path\b"#,
            "changes search_path (tenant objects must be created where the migrator puts them)"
        ),
        (#"\bset_config\s*\(\s*'search_path'"#, "changes search_path"),
    ]

    /// One line per problem: `file: statement …: reason`.
    public static func problems(in sql: String, file: String) -> [String] {
        var problems: [String] = []
        for statement in blanked(sql).split(separator: ";") {
            let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            for rule in rules where text.range(of: rule.pattern, options: [.regularExpression, .caseInsensitive]) != nil {
                let head = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
                problems.append("\(file): \(head.prefix(80)): \(rule.reason)")
            }
        }
        return problems
    }

    /// Every `.sql` file of a migrations folder.
    public static func problems(directory: String) throws -> [String] {
        try MigrationFile.load(directory: directory).flatMap { problems(in: $0.sql, file: "\($0.version)_\($0.name).sql") }
    }

    /// The SQL with `-- comments`, `/* comments */` and `'string literals'` replaced by spaces,
    /// so that words inside them do not count.
    static func blanked(_ sql: String) -> String {
        var out = ""
        var chars = Array(sql)[...]
        while let c = chars.first {
            if c == "-", chars.dropFirst().first == "-" {
                while let d = chars.first, d != "\n" { chars = chars.dropFirst() }
            } else if c == "/", chars.dropFirst().first == "*" {
                chars = chars.dropFirst(2)
                while !chars.isEmpty, !(chars.first == "*" && chars.dropFirst().first == "/") { chars = chars.dropFirst() }
                chars = chars.dropFirst(2)
                out.append(" ")
            } else if c == "'" {
                chars = chars.dropFirst()
                while let d = chars.first {
                    chars = chars.dropFirst()
                    if d == "'" {
                        if chars.first == "'" { chars = chars.dropFirst() } else { break }
                    }
                }
                out.append("''")
            } else {
                out.append(c)
                chars = chars.dropFirst()
            }
        }
        return out
    }
}
