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
}
