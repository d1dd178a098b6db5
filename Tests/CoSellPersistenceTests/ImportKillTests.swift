import CoSellApp
import CoSellPersistence
import CoSellTestSupport
import FluentSQL
import Foundation
import SQLiteNIO
import Testing
import Vapor

/// The built `cosell` executable, next to this test bundle's build products.
func cosellBinary() -> URL? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    for dir in [".build/debug", ".build/release"] {
        let url = root.appendingPathComponent(dir).appendingPathComponent("cosell")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
}

@Suite("An import killed with kill -9 leaves the previous list intact", .serialized)
struct ImportKillTests {
    @Test(.enabled(if: cosellBinary() != nil, "needs the built cosell executable"))
    func killedImportChangesNothing() async throws {
        let binary = try #require(cosellBinary())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cosell-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("kill.sqlite").path
        let small = dir.appendingPathComponent("small.csv")
        try "account_id,name,website,status\na1,Alpha,alpha.example,customer\na2,Beta,beta.example,prospect\n"
            .write(to: small, atomically: true, encoding: .utf8)
        var big = "account_id,name,website,country,status\n"
        for i in 0..<150_000 { big += "b\(i),Company \(i),company\(i).example,US,prospect\n" }
        let bigURL = dir.appendingPathComponent("big.csv")
        try big.write(to: bigURL, atomically: true, encoding: .utf8)

        func run(_ args: [String]) throws -> Process {
            let p = Process()
            p.executableURL = binary
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "DATABASE_URL")
            p.environment = env
            try p.run()
            return p
        }
        let demo = try run(["demo", "--db", db])
        demo.waitUntilExit()
        #expect(demo.terminationStatus == 0)
        let org = "00000000-0000-4000-8000-000000000001"
        let first = try run([
            "import", "--db", db, "--organization", org, "--quiet", "--confirm-retirements", small.path,
        ])
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)

        // Start the big import and kill it while its transaction is open: it holds there once every
        // account is written, before it commits (`--test-pause-before-commit`), and says so
        // with a file. (Watching for the write lock instead raced the commit when the test process was
        // busy: by the time it killed, the accounts could be committed and the matching's own write
        // under way.)
        let paused = dir.appendingPathComponent("paused").path
        let second = try run([
            "import", "--db", db, "--organization", org, "--quiet", "--confirm-retirements",
            "--test-pause-before-commit", paused, bigURL.path,
        ])
        var held = false
        for _ in 0..<12_000 where second.isRunning {
            if FileManager.default.fileExists(atPath: paused) {
                held = true
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        // The transaction is open: another writer is refused the lock.
        let probe = try await SQLiteConnection.open(storage: .file(path: db))
        _ = try await probe.query("PRAGMA busy_timeout = 0")
        var sawWriting = false
        if held {
            do {
                _ = try await probe.query("BEGIN IMMEDIATE")
                _ = try await probe.query("ROLLBACK")
            } catch {
                sawWriting = true
            }
        }
        kill(second.processIdentifier, SIGKILL)
        second.waitUntilExit()
        try await probe.close()
        #expect(held, "the import never reached the end of its transaction")
        #expect(sawWriting, "the import's transaction did not hold the write lock")
        #expect(second.terminationReason == .uncaughtSignal)

        let app = try await Application.make(.testing)
        try CoSellApp.configure(app, CoSellConfig(database: .sqliteFile(db), loadDemo: false))
        let store = CoSellStore(db: app.db)
        let accounts = try await store.accounts(of: UUID(uuidString: org)!, includeRetired: true)
        // What a server starting on this database does: the job is marked failed, the rows it had
        // staged are dropped.
        let marked = try await store.failAbandonedImports(at: Date())
        try await store.dropAbandonedStaging()
        let staged = try await (app.db as! any SQLDatabase)
            .raw("SELECT COUNT(*) AS n FROM crm_account_staging").first()?.decode(column: "n", as: Int.self)
        try await app.asyncShutdown()
        #expect(marked.count == 1)
        #expect(staged == 0)
        // The list is the one the first import left: a1 and a2 active, nothing of the killed file.
        #expect(accounts.filter { $0.status == "active" }.map(\.crmID).sorted() == ["a1", "a2"])
        #expect(!accounts.contains { $0.crmID.hasPrefix("b") })
    }

    /// A `COUNT(*) AS n` query on the database file; 0 while its tables do not exist yet.
    func count(_ query: String, in db: String) async throws -> Int {
        let app = try await Application.make(.testing)
        try CoSellApp.configure(app, CoSellConfig(database: .sqliteFile(db), loadDemo: false))
        var n = 0
        do {
            let rows = try await (app.db as! any SQLDatabase)
                .raw(SQLQueryString(query)).all()
            n = try rows.first?.decode(column: "n", as: Int.self) ?? 0
        } catch {
            n = 0  // the table may not exist yet
        }
        try await app.asyncShutdown()
        return n
    }
}
