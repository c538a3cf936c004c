import Foundation
import MarelleTestSupport
import MarelleWeb
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    let sql = TestEnvironment.repoRoot + "/sql"

    @Test("config.example.json is complete and valid once a database URL is given")
    func example() throws {
        let config = try ConfigurationLoader.load(
            path: TestEnvironment.repoRoot + "/config.example.json",
            environment: ["MARELLE_DATABASE_URL": "host=/tmp dbname=x", "MARELLE_PATHS_SQL": sql])
        #expect(config.database.url == "host=/tmp dbname=x")
        #expect(config.baseDomain == "portail.example.org")
    }

    @Test("environment variables override the file")
    func overrides() throws {
        let config = try ConfigurationLoader.load(
            path: TestEnvironment.repoRoot + "/config.example.json",
            environment: [
                "MARELLE_DATABASE_URL": "postgresql:///marelle", "MARELLE_HTTP_HOST": "0.0.0.0", "MARELLE_HTTP_PORT": "9090",
                "MARELLE_BASE_DOMAIN": "familles.example.fr", "MARELLE_DEVELOPMENT": "true", "MARELLE_PATHS_SQL": sql,
                "MARELLE_DATABASE_POOL_SIZE": "4", "MARELLE_METRICS_HOST": "10.0.0.5", "MARELLE_METRICS_PORT": "9464",
            ])
        #expect(config.metrics.host == "10.0.0.5" && config.metrics.port == 9464)
        #expect(config.http.host == "0.0.0.0")
        #expect(config.http.port == 9090)
        #expect(config.baseDomain == "familles.example.fr")
        #expect(config.development)
        #expect(config.database.poolSize == 4)
    }

    @Test("links in mails default to https without a port, and to the local server in development")
    func publicOrigin() throws {
        var config = MarelleConfiguration()
        #expect(config.publicScheme == "https")
        #expect(config.publicPort == nil)
        config.development = true
        config.http.port = 8080
        #expect(config.publicScheme == "http")
        #expect(config.publicPort == 8080)
        config.http.publicScheme = "https"
        #expect(config.publicPort == nil)
        config.http.publicPort = 8443
        #expect(config.publicScheme == "https")
        #expect(config.publicPort == 8443)
    }

    @Test("every problem is listed at once")
    func allProblems() throws {
        let error = try #require(throws: ConfigurationLoader.Invalid.self) {
            try ConfigurationLoader.load(
                path: nil,
                environment: [
                    "MARELLE_HTTP_PORT": "eighty", "MARELLE_BASE_DOMAIN": "bad domain", "MARELLE_PATHS_SQL": "/nowhere",
                    "MARELLE_DEVELOPMENT": "maybe",
                ])
        }
        #expect(error.problems.count == 5)
        #expect(error.description.contains("MARELLE_DATABASE_URL"))
        #expect(error.description.contains("MARELLE_HTTP_PORT"))
        #expect(error.description.contains("bad domain"))
    }

    @Test("a malformed file is reported with its path and the bad key")
    func malformedFile() throws {
        let path = NSTemporaryDirectory() + "marelle-config-\(UUID().uuidString).json"
        try Data(#"{"http": {"port": "not a number"}}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: ConfigurationLoader.Invalid.self) {
            try ConfigurationLoader.load(path: path, environment: ["MARELLE_DATABASE_URL": "x", "MARELLE_PATHS_SQL": sql])
        }
        #expect(error.description.contains("http.port"))
    }

    /// Every key `MarelleConfiguration` reads, as dotted paths, from its stored properties
    /// (their names are the JSON keys): a dictionary such as `clusters` is one key.
    static func keyPaths(of value: Any, prefix: String = "") -> [String] {
        Mirror(reflecting: value).children.flatMap { child -> [String] in
            guard let label = child.label else { return [] }
            let path = prefix + label
            let nested = Mirror(reflecting: child.value)
            return nested.displayStyle == .struct ? keyPaths(of: child.value, prefix: path + ".") : [path]
        }
    }

    @Test("every key the server reads is in config.example.json, in the README's table, and has its variable")
    func everyKeyDocumented() throws {
        let keys = Self.keyPaths(of: MarelleConfiguration())
        #expect(keys.count >= 20 && keys.contains("mail.smtp.caFile") && keys.contains("clusters"))
        let example = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: TestEnvironment.repoRoot + "/config.example.json")))
        let readme = try String(contentsOfFile: TestEnvironment.repoRoot + "/README.md", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let variables = Set(ConfigurationLoader.overrides.map(\.name))
        for key in keys {
            let parts = key.split(separator: ".").map(String.init)
            var node: Any? = example
            for part in parts { node = (node as? [String: Any])?[part] }
            #expect(node != nil, "\(key) is read but missing from config.example.json")
            // The table writes `mail.smtp.host`, `.port` for keys that share a parent.
            let documented = readme.contains { line in
                line.hasPrefix("| `")
                    && (line.contains("`\(key)`")
                        || (parts.count > 1 && line.contains("`\(parts.dropLast().joined(separator: "."))."))
                            && line.contains("`.\(parts.last!)`"))
            }
            #expect(documented, "\(key) is missing from the README's configuration table")
            let variable =
                "MARELLE_"
                + parts.map { part in
                    part.unicodeScalars.map { CharacterSet.uppercaseLetters.contains($0) ? "_" + String($0) : String($0) }
                        .joined().uppercased()
                }.joined(separator: "_")
            #expect(variables.contains(variable), "\(key) has no environment variable \(variable)")
        }
        #expect(variables.count == keys.count, "a variable overrides no key: \(variables.sorted())")
    }
}
