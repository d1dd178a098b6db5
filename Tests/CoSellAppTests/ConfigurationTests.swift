import CoSellApp
import CoSellWeb
import Foundation
import Testing

/// The configuration is read in one place (`CoSellConfig.fromEnvironment`), and every variable is documented.
@Suite("Configuration")
struct ConfigurationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("no variable set: SQLite at the given path, the defaults")
    func defaults() throws {
        let c = try CoSellConfig.fromEnvironment([:], sqlitePath: "x.sqlite", port: 9000)
        #expect(c.database == .sqliteFile("x.sqlite"))
        #expect(c.port == 9000)
        #expect(c.factsCacheCapacity == 300_000)
        #expect(c.security.secureCookies == false)
        #expect(c.security.trustForwardedFor == false)
        #expect(c.security.allowPrivateWebhookAddresses == false)
        #expect(c.webhookWorker?.interval == 5)
    }

    @Test("each variable sets its setting")
    func values() throws {
        let c = try CoSellConfig.fromEnvironment([
            "DATABASE_URL": "postgres://u@127.0.0.1:5432/db?tlsmode=disable", "COSELL_FACTS_CACHE": "0",
            "COSELL_SECURE_COOKIES": "1", "COSELL_TRUST_FORWARDED_FOR": "1", "COSELL_WEBHOOK_ALLOW_PRIVATE": "1",
            "COSELL_WEBHOOK_INTERVAL": "0.5", "COSELL_WEBHOOK_MAX_ATTEMPTS": "3",
        ])
        #expect(c.database == .postgres("postgres://u@127.0.0.1:5432/db?tlsmode=disable"))
        #expect(c.factsCacheCapacity == 0)
        #expect(c.security.secureCookies && c.security.trustForwardedFor && c.security.allowPrivateWebhookAddresses)
        #expect(c.webhookWorker?.interval == 0.5)
        #expect(c.webhookWorker?.maxAttempts == 3)
        #expect(try CoSellConfig.fromEnvironment(["COSELL_WEBHOOK_INTERVAL": "0"]).webhookWorker == nil)
    }

    @Test(
        "a value cosell cannot use stops it with a message naming the variable and the value",
        arguments: [
            ("COSELL_WEBHOOK_INTERVAL", "soon"), ("COSELL_WEBHOOK_INTERVAL", "-1"),
            ("COSELL_WEBHOOK_MAX_ATTEMPTS", "0"), ("COSELL_WEBHOOK_MAX_ATTEMPTS", "many"),
            ("COSELL_SECURE_COOKIES", "yes"), ("COSELL_TRUST_FORWARDED_FOR", "true"),
            ("COSELL_WEBHOOK_ALLOW_PRIVATE", "2"), ("COSELL_FACTS_CACHE", "-5"), ("COSELL_PHASES", "yes"),
            ("COSELL_HUGEPAGES", "always"),
        ])
    func refused(_ name: String, _ value: String) {
        #expect {
            try CoSellConfig.fromEnvironment([name: value])
        } throws: { error in
            let text = "\(error)"
            return text.contains(name) && text.contains("\"\(value)\"")
        }
    }

    @Test("every variable cosell reads is described in docs/configuration.md")
    func documented() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        for name in CoSellConfig.environmentVariables {
            #expect(doc.contains("`\(name)`"), "\(name) is not in docs/configuration.md")
        }
    }

    @Test("only CoSellConfig reads the environment (the benchmarks aside)")
    func readInOnePlace() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var readers: [String] = []
        for case let url as URL in files where url.pathExtension == "swift" {
            let path = url.path.replacingOccurrences(of: sources.path + "/", with: "")
            if path.hasPrefix("cosell-") { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            if text.contains("ProcessInfo.processInfo.environment") || text.contains("Environment.get(") {
                readers.append(path)
            }
        }
        #expect(readers == ["CoSellApp/CoSellConfig.swift"])
    }
}
