import ArgumentParser
import CoSellMatching
import Foundation
import Testing

@testable import cosell

/// `cosell map HOST.csv PARTNER.csv [--out FILE] [--host-column F=H] [--partner-column F=H] [--quiet]`.
@Suite("cosell map")
struct MapCommandTests {
    static let refusals: [Refusal] = [
        Refusal(["map"], "<host>"),
        Refusal(["map", "host.csv"], "<partner>"),
        Refusal(["map", "host.csv", "partner.csv", "third.csv"], "third.csv"),
        Refusal(["map", "host.csv", "partner.csv", "--out"], "--out"),
        Refusal(["map", "host.csv", "partner.csv", "--host-column", "name"], "name: write field=Header"),
        Refusal(["map", "host.csv", "partner.csv", "--host-column", "name="], "name=: write field=Header"),
        Refusal(
            ["map", "host.csv", "partner.csv", "--partner-column", "revenue=ARR"], "revenue=ARR: write field=Header"),
    ]

    @Test("bad arguments are refused with exit code 64 and a message naming them", arguments: refusals)
    func refused(_ refusal: Refusal) {
        expectRefused(refusal.arguments, mentioning: refusal.mentions)
    }

    @Test("the arguments: the two files, --out overlaps.csv by default, column overrides by field")
    func parsed() throws {
        let plain = try #require(try Cosell.parseAsRoot(["map", "h.csv", "p.csv"]) as? Map)
        #expect(plain.host == "h.csv")
        #expect(plain.partner == "p.csv")
        #expect(plain.out == "overlaps.csv")
        let mapped = try #require(
            try Cosell.parseAsRoot(["map", "h.csv", "p.csv", "--host-column", "Name=Company", "--quiet"]) as? Map)
        #expect(mapped.quiet)
        #expect(try columnMapping(mapped.hostColumns)?.headers == [.name: "Company"])
        #expect(try columnMapping(mapped.partnerColumns) == nil)
    }

    static let host = """
        account_id,name,website,country,status
        H1,Acme Corp,https://www.acme.example/,US,customer
        H2,Globex Inc,globex.example,US,prospect
        H3,Initech,initech.example,US,customer

        """
    static let partner = """
        account_id,name,website,country,status
        P1,ACME CORPORATION,acme.example,US,open_opportunity
        P2,Umbrella,umbrella.example,GB,customer
        P3,Initech LLC,http://initech.example,US,prospect

        """

    @Test("map writes one row per overlap and prints the summary")
    func maps() async throws {
        try await withTemporaryDirectory { dir in
            let host = try write(Self.host, to: "host.csv", in: dir)
            let partner = try write(Self.partner, to: "partner.csv", in: dir)
            let out = dir.appendingPathComponent("overlaps.csv").path
            let run = try await runCosell(["map", host, partner, "--out", out, "--quiet"])
            #expect(run.output.contains("host:    host.csv (generic), 3 accounts"))
            #expect(run.output.contains("partner: partner.csv (generic), 3 accounts"))
            #expect(run.output.contains("Wrote 2 overlaps to \(out)."))
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.first == AccountMapping.overlapsHeader)
            let pairs = lines.dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ",") }.sorted()
            #expect(pairs == ["H1,P1,same_account", "H3,P3,same_account"])
            #expect(
                lines.contains { $0.hasPrefix("H1,P1,") && $0.hasSuffix(",customer,open_opportunity,host_opens_door") })
        }
    }

    @Test("--host-column maps a header the detection does not know")
    func columnOverride() async throws {
        try await withTemporaryDirectory { dir in
            let host = try write("Firm,Web\nAcme,acme.example\n", to: "firm.csv", in: dir)
            let partner = try write(Self.partner, to: "partner.csv", in: dir)
            let out = dir.appendingPathComponent("o.csv").path
            let refused = try await runCosell(["map", host, partner, "--out", out, "--quiet"], exitsWith: .exitCode(1))
            #expect(refused.errors.contains("firm.csv line 1: no name column"))
            #expect(!FileManager.default.fileExists(atPath: out))
            let run = try await runCosell([
                "map", host, partner, "--out", out, "--quiet", "--host-column", "name=Firm", "--host-column",
                "website=Web",
            ])
            #expect(run.output.contains("host:    firm.csv (custom), 1 accounts"))
            let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
            #expect(rows.count == 1)
            #expect(rows.first?.contains(",P1,same_account,") == true)
        }
    }

    @Test("a malformed file is refused with exit code 1, naming the file and the line; nothing is written")
    func raggedFile() async throws {
        try await withTemporaryDirectory { dir in
            let host = try write(Self.host, to: "host.csv", in: dir)
            let partner = try write(
                "account_id,name,website\nP1,Acme,acme.example\nP2,Globex\n", to: "ragged.csv", in: dir)
            let out = dir.appendingPathComponent("o.csv").path
            let run = try await runCosell(["map", host, partner, "--out", out, "--quiet"], exitsWith: .exitCode(1))
            #expect(run.errors.contains("cosell map: ragged.csv line 3: expected 3 fields, found 2"))
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test("a missing input file or an output that cannot be written fails with exit code 1, naming it")
    func ioErrors() async throws {
        try await withTemporaryDirectory { dir in
            let host = try write(Self.host, to: "host.csv", in: dir)
            let missing = dir.appendingPathComponent("nowhere.csv").path
            let out = dir.appendingPathComponent("o.csv").path
            let noInput = try await runCosell(["map", host, missing, "--out", out, "--quiet"], exitsWith: .exitCode(1))
            #expect(noInput.errors.contains("nowhere.csv: cannot open"))
            let badOut = dir.appendingPathComponent("no-directory/o.csv").path
            let noOutput = try await runCosell(
                ["map", host, host, "--out", badOut, "--quiet"], exitsWith: .exitCode(1))
            #expect(noOutput.errors.contains("\(badOut): cannot write"))
        }
    }

    @Test("map runs in this process too: it throws exit code 1 on a bad file")
    func inProcess() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cosell-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let host = try write(Self.host, to: "host.csv", in: dir)
        let partner = try write(Self.partner, to: "partner.csv", in: dir)
        let out = dir.appendingPathComponent("o.csv").path
        var command = try Cosell.parseAsRoot(["map", host, partner, "--out", out, "--quiet"])
        try command.run()
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 3)
        let empty = try write("", to: "empty.csv", in: dir)
        var failing = try Cosell.parseAsRoot(["map", empty, partner, "--out", out, "--quiet"])
        #expect(throws: ExitCode(1)) { try failing.run() }
    }
}
