import ArgumentParser
import CoSellPersistence
import Foundation
import Testing

@testable import cosell

/// `cosell import --organization ID FILE [--column F=H] [--quiet] [--db FILE]`.
@Suite("cosell import")
struct ImportCommandTests {
    static let organization = "00000000-0000-4000-8000-000000000001"

    static let refusals: [Refusal] = [
        Refusal(["import", "accounts.csv"], "--organization"),
        Refusal(["import", "--organization", "quarry", "accounts.csv"], "--organization must be a UUID."),
        Refusal(["import", "--organization", "", "accounts.csv"], "--organization must be a UUID."),
        Refusal(["import", "--organization", organization], "<file>"),
        Refusal(["import", "--organization", organization, "a.csv", "b.csv"], "b.csv"),
        Refusal(
            ["import", "--organization", organization, "a.csv", "--column", "Company"], "Company: write field=Header"),
        Refusal(
            ["import", "--organization", organization, "a.csv", "--column", "arr=ARR"], "arr=ARR: write field=Header"),
        Refusal(
            ["import", "--organization", organization, "a.csv", "--restore-latest"], "--restore-latest takes no file"),
        Refusal(
            ["import", "--organization", organization, "--restore-latest", "--partial"],
            "--restore-latest takes no file, --column, --partial or --confirm-retirements."),
    ]

    @Test("bad arguments are refused with exit code 64 and a message naming them", arguments: refusals)
    func refused(_ refusal: Refusal) {
        expectRefused(refusal.arguments, mentioning: refusal.mentions)
    }

    @Test("the arguments")
    func parsed() throws {
        let command = try #require(
            try Cosell.parseAsRoot([
                "import", "--organization", Self.organization, "a.csv", "--quiet", "--db", "x.sqlite",
            ])
                as? Import)
        #expect(command.organization == Self.organization)
        #expect(command.file == "a.csv")
        #expect(command.quiet)
        #expect(command.database.db == "x.sqlite")
    }

    static let accounts = """
        account_id,name,website,country,status
        H1,Acme Corp,https://www.acme.example/,US,customer
        H2,Globex Inc,globex.example,US,prospect
        H3,Initech,initech.example,US,customer

        """

    /// The organization's active accounts' CRM ids, sorted.
    static func activeAccounts(_ db: String, of organization: UUID) async throws -> [String] {
        try await withStore(db) { store in
            try await store.accounts(of: organization).filter { $0.status == "active" }.map(\.crmID).sorted()
        }
    }

    @Test("import replaces the organization's account list with the file's")
    func imports() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let host = DemoFixture.host.id
            let before = try await Self.activeAccounts(db, of: host)
            let partnerBefore = try await Self.activeAccounts(db, of: DemoFixture.partner.id)
            let file = try write(Self.accounts, to: "accounts.csv", in: dir)
            // A file that would retire the whole list is refused, naming what it would retire; nothing changes.
            let refused = try await runCosell(
                ["import", "--db", db, "--organization", host.uuidString, file, "--quiet"], exitsWith: .exitCode(1))
            #expect(
                refused.errors.contains(
                    "cosell import: This file would retire \(before.count) of your \(before.count) accounts (100%)"))
            #expect(refused.errors.contains("(--confirm-retirements, or --partial)"))
            #expect(try await Self.activeAccounts(db, of: host) == before)
            // A partial update adds and retires nothing.
            let partial = try await runCosell(
                ["import", "--db", db, "--organization", host.uuidString, file, "--quiet", "--partial"])
            #expect(partial.output.contains("3 added, 0 updated, 0 unchanged, 0 retired"))
            #expect(try await Self.activeAccounts(db, of: host).count == before.count + 3)
            let run = try await runCosell([
                "import", "--db", db, "--organization", host.uuidString, file, "--quiet", "--confirm-retirements",
            ])
            #expect(
                run.output.contains(
                    "Imported accounts.csv (generic): 0 added, 0 updated, 3 unchanged, \(before.count) retired"))
            #expect(try await Self.activeAccounts(db, of: host) == ["H1", "H2", "H3"])
            #expect(try await Self.activeAccounts(db, of: DemoFixture.partner.id) == partnerBefore)
            // The same file again changes nothing.
            let again = try await runCosell(["import", "--db", db, "--organization", host.uuidString, file, "--quiet"])
            #expect(again.output.contains("0 added, 0 updated, 3 unchanged, 0 retired"))
        }
    }

    @Test("--restore-latest puts the list back as it was before the latest import, once, saying what it did")
    func restoreLatest() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let host = DemoFixture.host.id
            let before = try await Self.activeAccounts(db, of: host)
            let file = try write(Self.accounts, to: "accounts.csv", in: dir)
            _ = try await runCosell([
                "import", "--db", db, "--organization", host.uuidString, file, "--quiet", "--confirm-retirements",
            ])
            #expect(try await Self.activeAccounts(db, of: host) == ["H1", "H2", "H3"])
            let run = try await runCosell(["import", "--db", db, "--organization", host.uuidString, "--restore-latest"])
            #expect(
                run.output.contains(
                    "Restored the accounts as they were before the import of accounts.csv: \(before.count) accounts back as they were, 3 accounts it added retired."
                ))
            #expect(try await Self.activeAccounts(db, of: host) == before)
            // Nothing left to restore: refused, and nothing changes.
            let again = try await runCosell(
                ["import", "--db", db, "--organization", host.uuidString, "--restore-latest"], exitsWith: .exitCode(1))
            #expect(again.errors.contains("cosell import: There is no import to restore"))
            #expect(try await Self.activeAccounts(db, of: host) == before)
        }
    }

    @Test("a malformed file is refused with exit code 1, naming the line, and the list stays as it was")
    func raggedFile() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let host = DemoFixture.host.id
            let before = try await Self.activeAccounts(db, of: host)
            let file = try write(
                "account_id,name,website\nH1,Acme,acme.example\nH2,Globex\n", to: "ragged.csv", in: dir)
            let run = try await runCosell(
                ["import", "--db", db, "--organization", host.uuidString, file, "--quiet"], exitsWith: .exitCode(1))
            #expect(run.errors.contains("cosell import: ragged.csv line 3: expected 3 fields, found 2"))
            #expect(try await Self.activeAccounts(db, of: host) == before)
        }
    }

    @Test("a file without a name column is refused with exit code 1, naming line 1")
    func noNameColumn() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let file = try write("Firm,Web\nAcme,acme.example\n", to: "firm.csv", in: dir)
            let run = try await runCosell(
                ["import", "--db", db, "--organization", DemoFixture.host.id.uuidString, file, "--quiet"],
                exitsWith: .exitCode(1))
            #expect(run.errors.contains("cosell import: firm.csv line 1: no name column"))
        }
    }

    @Test("--column names the file's own headers for the fields it cannot detect")
    func columnOverride() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let host = DemoFixture.host.id
            let file = try write(
                "Ref,Firm,Web\nR1,Acme,acme.example\nR2,Globex,globex.example\n", to: "firm.csv", in: dir)
            let run = try await runCosell([
                "import", "--db", db, "--organization", host.uuidString, file, "--quiet", "--confirm-retirements",
                "--column", "id=Ref",
                "--column", "name=Firm", "--column", "website=Web",
            ])
            #expect(run.output.contains("2 added"))
            #expect(try await Self.activeAccounts(db, of: host) == ["R1", "R2"])
        }
    }

    @Test("a missing file or an unknown organization fails with exit code 1, naming it")
    func missing() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let nowhere = dir.appendingPathComponent("nowhere.csv").path
            let noFile = try await runCosell(
                ["import", "--db", db, "--organization", DemoFixture.host.id.uuidString, nowhere, "--quiet"],
                exitsWith: .exitCode(1))
            #expect(noFile.errors.contains("nowhere.csv: cannot open"))
            let file = try write(Self.accounts, to: "accounts.csv", in: dir)
            let unknown = UUID()
            let noOrganization = try await runCosell(
                ["import", "--db", db, "--organization", unknown.uuidString, file, "--quiet"], exitsWith: .exitCode(1))
            #expect(noOrganization.errors.contains("No organization with the id \(unknown.uuidString)."))
        }
    }
}
