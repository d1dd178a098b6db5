import ArgumentParser
import CoSellPersistence
import Foundation
import Testing

@testable import cosell

/// `cosell migrate [--revert] [--db FILE]`.
@Suite("cosell migrate")
struct MigrateCommandTests {
    static let refusals: [Refusal] = [
        Refusal(["migrate", "--force"], "--force"),
        Refusal(["migrate", "--db"], "--db"),
        Refusal(["migrate", "--revert", "extra"], "extra"),
    ]

    @Test("bad arguments are refused with exit code 64 and a message naming them", arguments: refusals)
    func refused(_ refusal: Refusal) {
        expectRefused(refusal.arguments, mentioning: refusal.mentions)
    }

    @Test("the arguments: --db and --revert")
    func parsed() throws {
        let plain = try #require(try Cosell.parseAsRoot(["migrate"]) as? Migrate)
        #expect(plain.database.db == "cosell.sqlite")
        #expect(plain.revert == false)
        let revert = try #require(try Cosell.parseAsRoot(["migrate", "--db", "x.sqlite", "--revert"]) as? Migrate)
        #expect(revert.database.db == "x.sqlite")
        #expect(revert.revert)
    }

    @Test("migrate creates the schema in a new SQLite file, and again changes nothing")
    func migrates() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("m.sqlite").path
            let count = CoSellMigrations.all.count
            let first = try await runCosell(["migrate", "--db", db])
            #expect(first.output.contains("SQLite file \(db) is at schema version \(count)."))
            #expect(FileManager.default.fileExists(atPath: db))
            let (applied, empty) = try await withStore(db) { store in
                (try await store.appliedMigrations(), try await store.isEmpty())
            }
            #expect(applied == count)
            #expect(empty)
            let second = try await runCosell(["migrate", "--db", db])
            #expect(second.output.contains("is at schema version \(count)."))
            #expect(try await withStore(db) { try await $0.appliedMigrations() } == count)
        }
    }

    @Test("migrate keeps the data already there")
    func keepsData() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            try await runCosell(["migrate", "--db", db])
            let host = try await withStore(db) { try await $0.organization(DemoFixture.host.id) }
            #expect(host?.name == DemoFixture.host.name)
        }
    }

    @Test("migrate --revert drops the tables, and migrate makes them again")
    func reverts() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("r.sqlite").path
            try await runCosell(["migrate", "--db", db])
            let revert = try await runCosell(["migrate", "--db", db, "--revert"])
            #expect(revert.output.contains("Reverted every migration of SQLite file \(db)."))
            #expect(try await withStore(db) { try await $0.appliedMigrations() } == 0)
            // The organizations table is gone.
            let organizationsTable: Result<Bool, any Error> = try await withStore(db) { store in
                do { return .success(try await store.isEmpty()) } catch { return .failure(error) }
            }
            #expect(throws: (any Error).self) { try organizationsTable.get() }
            let again = try await runCosell(["migrate", "--db", db])
            #expect(again.output.contains("is at schema version \(CoSellMigrations.all.count)."))
            #expect(try await withStore(db) { try await $0.isEmpty() })
        }
    }

    @Test("a database file that cannot be opened fails with exit code 1, naming the file")
    func cannotOpen() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("missing-directory/m.sqlite").path
            let run = try await runCosell(["migrate", "--db", db], exitsWith: .exitCode(1))
            #expect(run.errors.contains(db))
            #expect(!FileManager.default.fileExists(atPath: db))
        }
    }

    @Test("DATABASE_URL, when set, is used instead of --db")
    func databaseURLWins() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("never.sqlite").path
            let run = try await runCosell(
                ["migrate", "--db", db], environment: ["DATABASE_URL": "not a database url"], exitsWith: .exitCode(1))
            #expect(run.errors.contains("DATABASE_URL is not a usable PostgreSQL URL"))
            #expect(!FileManager.default.fileExists(atPath: db))
        }
    }
}
