import ArgumentParser
import CoSellApp
import CoSellMatching
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import cosell

/// `cosell private-map FILE --server URL --partnership ID --token TOKEN`, against a real server on
/// loopback with its database in a file: the overlap found is the exact-key overlap computed
/// directly, and no account of the command's list outside the overlap reaches the database file or
/// its write-ahead log.
@Suite("cosell private-map")
struct PrivateMapCommandTests {
    static let partnership = "00000000-0000-4000-8000-00000000000E"

    static let refusals: [Refusal] = [
        Refusal(["private-map", "a.csv", "--partnership", partnership, "--token", "t"], "--server"),
        Refusal(
            ["private-map", "a.csv", "--server", "ftp://x", "--partnership", partnership, "--token", "t"],
            "--server must be an http or https address"),
        Refusal(
            ["private-map", "a.csv", "--server", "http://127.0.0.1:1", "--partnership", "E", "--token", "t"],
            "--partnership must be a UUID."),
        Refusal(["private-map", "--server", "http://x", "--partnership", partnership, "--token", "t"], "<file>"),
    ]

    @Test("bad arguments are refused with exit code 64 and a message naming them", arguments: refusals)
    func refused(_ refusal: Refusal) {
        expectRefused(refusal.arguments, mentioning: refusal.mentions)
    }

    /// Quarry Data's list: variants of some of Halyard Security's demo accounts, and accounts that
    /// must never leave the machine (each with a name, a domain and a CRM id of its own).
    static func quarryList(secrets: Int) -> (csv: String, secrets: [String]) {
        var lines = [
            "account_id,name,website,country,status",
            "Q-OVL-1,Meridian Health Partners Inc.,https://www.meridianhealth.example,US,customer",
            "Q-OVL-2,COPPERLINE BANK,copperlinebank.example,US,prospect",
            "Q-OVL-3,Kestrel Logistics GmbH,,Germany,open opportunity",
            // Halyard has Brightwater in Switzerland: another country, not the same account.
            "Q-OVL-4,Brightwater Pharmaceuticals AG,,FR,prospect",
        ]
        var hidden: [String] = []
        for i in 0..<secrets {
            let tag = String(format: "%05d", i * 7919 % 100_000)
            let name = "Zephyrine Quillwort \(tag) Holdings"
            let domain = "zq\(tag)secret.example"
            let id = "SECRET-ID-\(tag)"
            lines.append("\(id),\(name),https://\(domain),US,customer")
            hidden += [name, domain, id]
        }
        return (lines.joined(separator: "\n") + "\n", hidden)
    }

    @Test("the command finds the exact-key overlap on loopback, imports it, and nothing else reaches the database")
    func privateRunOnLoopback() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("server.sqlite").path
            let list = Self.quarryList(secrets: 300)
            let file = dir.appendingPathComponent("quarry.csv")
            try list.csv.write(to: file, atomically: true, encoding: .utf8)

            // Not the test runner's own arguments: `startup` would read them as a Vapor command.
            let app = try await Application.make(Environment(name: "testing", arguments: ["cosell"]))
            var stopped = false
            do {
                try CoSellApp.configure(
                    app, CoSellConfig(database: .sqliteFile(db), loadDemo: true, security: testSecurity))
                try await CoSellApp.prepare(app)
                try await CoSellApp.loadDemoIfEmpty(app)
                app.http.server.configuration.hostname = "127.0.0.1"
                app.http.server.configuration.port = 0
                try await app.startup()
                let port = try #require(app.http.server.shared.localAddress?.port)

                // What the overlap must be: the command's list against Halyard's accounts on the server.
                let partnershipID = try #require(UUID(uuidString: Self.partnership))
                let ps = try #require(try await app.store.partnership(partnershipID))
                let halyard = try #require(ps.counterpart(of: DemoIDs.host))
                let held = Set(
                    try await app.store.accounts(of: halyard).filter { $0.status == "active" }.flatMap {
                        PrivateMatchKeys.keys(name: $0.name, domain: $0.domain, country: $0.country, role: .set)
                    })
                let records = try AccountTable.load(path: file.path).records
                let expected = records.filter {
                    PrivateMatchKeys.keys(of: $0, role: .query).contains(where: held.contains)
                }.map(\.id)
                #expect(expected == ["Q-OVL-1", "Q-OVL-2", "Q-OVL-3"])

                // In this process: the command bootstraps no logging (see CommandTestSupport), and an
                // exit test's child would wait on a server whose process is busy waiting for it.
                let parsed = try Cosell.parseAsRoot([
                    "private-map", file.path, "--server", "http://127.0.0.1:\(port)", "--partnership",
                    Self.partnership, "--token", Token.hostAdmin,
                ])
                let command = try #require(parsed as? PrivateMap)
                try await command.run()

                // The overlap was imported into Quarry's accounts; both companies see the run.
                let quarryIDs = Set(try await app.store.accounts(of: DemoIDs.host).map(\.crmID))
                #expect(Set(expected).isSubset(of: quarryIDs))
                #expect(!quarryIDs.contains("Q-OVL-4"))
                // The server matched them as any import: each is in an overlap of the partnership.
                let overlapping = Set(
                    try await app.store.overlaps(of: ps).flatMap(\.accounts).filter {
                        $0.organizationID == DemoIDs.host
                    }.map(\.crmID))
                #expect(Set(expected).isSubset(of: overlapping), "\(overlapping.sorted())")
                let runs = try await app.call(
                    .GET, "/api/v1/partnerships/\(Self.partnership)/private-mapping/runs", token: Token.partnerAdmin)
                let first = try #require((runs["runs"] as? [[String: Any]])?.first)
                #expect(first["status"] as? String == "completed")
                #expect(first["overlap_accounts"] as? Int == 3)
                #expect(first["declared_accounts"] as? Int == 304)

                await app.server.shutdown()
                try await app.asyncShutdown()
                stopped = true
            } catch {
                if !stopped {
                    await app.server.shutdown()
                    try? await app.asyncShutdown()
                }
                throw error
            }

            // Every byte the server wrote: the database file and its write-ahead log (if any is left).
            var bytes = Data()
            for suffix in ["", "-wal", "-journal"] {
                if let d = FileManager.default.contents(atPath: db + suffix) { bytes.append(d) }
            }
            #expect(bytes.count > 100_000)
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            let leaked = list.secrets.filter { text.contains($0.lowercased()) }
            #expect(leaked.isEmpty, "found in the server's database: \(leaked.prefix(5))")
            // The check reads what it claims to: the overlap's own names are in the file.
            #expect(text.contains("meridian health partners inc."))
            #expect(text.contains("q-ovl-3"))
        }
    }
}
