import Foundation

/// One file `NNNN_name.sql` of `sql/control` or `sql/tenant`.
public struct MigrationFile: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads a folder of migrations in version order. Refuses a name not of the form
    /// `NNNN_name.sql` and two files with the same number, rather than guessing an order.
    public static func load(directory: String) throws -> [MigrationFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        var files: [MigrationFile] = []
        for fileName in names where fileName.hasSuffix(".sql") {
            let stem = fileName.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"),
                let version = Int(stem[..<underscore]), version > 0,
                stem[..<underscore].count == 4
            else {
                throw MigrationError.badFileName(fileName)
            }
            let sql = try String(contentsOfFile: directory + "/" + fileName, encoding: .utf8)
            files.append(MigrationFile(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        files.sort { $0.version < $1.version }
        for (a, b) in zip(files, files.dropFirst()) where a.version == b.version {
            throw MigrationError.duplicateVersion(a.version)
        }
        return files
    }
}

public enum MigrationError: Error, CustomStringConvertible, Sendable {
    case badFileName(String)
    case duplicateVersion(Int)
    case changedAfterApplied(schema: String, version: Int, name: String)
    case failed(schema: String, version: Int, name: String, underlying: String)

    public var description: String {
        switch self {
        case .badFileName(let n): "migration file '\(n)' is not named NNNN_name.sql"
        case .duplicateVersion(let v): "two migration files have the number \(v)"
        case .changedAfterApplied(let s, let v, let n):
            "migration \(v) (\(n)) was changed after it was applied to \(s): add a new migration instead"
        case .failed(let s, let v, let n, let u): "migration \(v) (\(n)) failed on \(s): \(u)"
        }
    }
}
