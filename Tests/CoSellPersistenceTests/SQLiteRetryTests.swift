import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Fluent
import FluentSQL
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

extension DatabaseID {
    /// A second connection pool on the test's SQLite file: the other writer.
    static let otherWriter = DatabaseID(string: "other-writer")
    /// A third pool on the same file whose connections nothing has set a pragma on.
    static let untouched = DatabaseID(string: "untouched")
}

/// Another connection to the same SQLite file holding the write lock (`BEGIN IMMEDIATE` and an
/// uncommitted change) until released.
final class WriteLockHolder: Sendable {
    private let locked = AsyncStream<Void>.makeStream()
    private let release = AsyncStream<Void>.makeStream()
    private let task: Task<Void, any Error>

    init(_ app: Application) async throws {
        let locked = self.locked.continuation
        let release = self.release.stream
        task = Task {
            try await app.db(.otherWriter).withConnection { conn in
                let sql = conn as! any SQLDatabase
                try await sql.raw("BEGIN IMMEDIATE").run()
                try await sql.raw("UPDATE organizations SET name = name").run()
                locked.yield()
                for await _ in release { break }
                try await sql.raw("COMMIT").run()
            }
        }
        for await _ in self.locked.stream { break }
    }

    /// Commits the other writer's transaction; returns once the lock is released.
    func unlock() async throws {
        release.continuation.yield()
        try await task.value
    }
}

/// Counts the retries of `CoSellStore.transaction` and runs an action at a given one.
final class RetryLog: Sendable {
    let count = NIOLockedValueBox(0)

    func install(on app: Application, at retry: Int? = nil, _ action: @escaping @Sendable () async -> Void = {}) {
        app.storage[SQLiteRetryObserverKey.self] = { [count] _, n in
            count.withLockedValue { $0 += 1 }
            if n == retry { await action() }
        }
    }

    var retries: Int { count.withLockedValue { $0 } }
}

/// The transaction's retry (`CoSellStore.transaction`) against a real SQLite write conflict: another connection to the same file
/// holds the write lock while a request's transaction, which read first, tries to write. SQLite
/// refuses that upgrade at once with SQLITE_BUSY (its busy handler is not called for a transaction
/// that already reads), so the test needs no timing: it releases the lock at a given retry.
@Suite("SQLite write conflicts: retried, then 503")
struct SQLiteRetryTests {
    func withFileApp(_ body: (Application) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cosell-retry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cosell.sqlite").path
        let app = try await Application.make(.testing)
        do {
            try CoSellApp.configure(app, CoSellConfig(database: .sqliteFile(path), security: testSecurity))
            app.databases.use(.sqlite(.file(path)), as: .otherWriter)
            app.databases.use(.sqlite(.file(path)), as: .untouched)
            try await CoSellApp.prepare(app)
            try await CoSellApp.loadDemoIfEmpty(app)
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// An open deal and a lesson of the library it is offered (and has not applied).
    func offeredLesson(_ app: Application) async throws -> (deal: String, lesson: String) {
        let open = try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(status: .open, limit: 100)).items
        for d in open {
            let offered = try await app.call(.GET, "/api/v1/deals/\(d.id.uuidString)/lessons")
            if let l = ((offered["items"] as? [[String: Any]]) ?? []).first(where: {
                $0["applied_on_this_deal"] as? Bool == false
            }), let id = l["id"] as? String {
                return (d.id.uuidString, id)
            }
        }
        throw CoSellSetupError("the demo offers no lesson to an open deal")
    }

    func applied(_ app: Application, _ pick: (deal: String, lesson: String)) async throws -> Bool? {
        let offered = try await app.call(.GET, "/api/v1/deals/\(pick.deal)/lessons")
        return ((offered["items"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == pick.lesson }?[
            "applied_on_this_deal"] as? Bool
    }

    @Test("a request that meets a held write lock is retried and succeeds once the lock is released")
    func retriedSucceeds() async throws {
        try await withFileApp { app in
            let pick = try await offeredLesson(app)  // also records this minute's token use
            let holder = try await WriteLockHolder(app)
            let log = RetryLog()
            log.install(on: app, at: 1) { try? await holder.unlock() }
            let r = try await app.call(.POST, "/api/v1/deals/\(pick.deal)/lessons/\(pick.lesson)/applied")
            #expect(r.status == .created)
            #expect(log.retries == 1)
            #expect(try await applied(app, pick) == true)
        }
    }

    @Test("a request that stays locked through every retry answers 503 problem+json, and changes nothing")
    func staysLocked() async throws {
        try await withFileApp { app in
            let pick = try await offeredLesson(app)
            let holder = try await WriteLockHolder(app)
            let log = RetryLog()
            log.install(on: app)
            let r = try await app.call(.POST, "/api/v1/deals/\(pick.deal)/lessons/\(pick.lesson)/applied")
            try await holder.unlock()
            #expect(r.status == .serviceUnavailable)
            #expect(r.contentType.hasPrefix("application/problem+json"))
            #expect(r["type"] as? String == "https://cosell.dev/problems/busy")
            #expect(r["status"] as? Int == 503)
            #expect(r.headers.first(name: .retryAfter) == "1")
            #expect(log.retries == 5)
            // Rolled back: the lesson is not applied, and the same request now succeeds.
            #expect(try await applied(app, pick) == false)
            let again = try await app.call(.POST, "/api/v1/deals/\(pick.deal)/lessons/\(pick.lesson)/applied")
            #expect(again.status == .created)
        }
    }

    @Test("a page form that meets a held write lock is retried too")
    func pageRetried() async throws {
        try await withFileApp { app in
            let pick = try await offeredLesson(app)
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            _ = try await c.get("/deals/\(pick.deal)")
            let holder = try await WriteLockHolder(app)
            let log = RetryLog()
            log.install(on: app, at: 1) { try? await holder.unlock() }
            let r = try await c.post("/deals/\(pick.deal)/actions/apply-lesson", ["lesson_id": pick.lesson])
            #expect(r.status == .seeOther)
            #expect(log.retries == 1)
            #expect(try await applied(app, pick) == true)
        }
    }

    /// An open deal of the demo the host admin may change (one Quarry hosts: renaming is the host's), and its title.
    func openDeal(_ app: Application) async throws -> (id: String, title: String) {
        let d = try #require(
            try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(status: .open, limit: 50)).items.first {
                $0.hostOrganizationID == DemoIDs.host
            })
        // Reading it also records this minute's token use, so the change below is the only write.
        #expect(try await app.call(.GET, "/api/v1/deals/\(d.id.uuidString)").status == .ok)
        return (d.id.uuidString, d.title)
    }

    @Test("a deal verb that meets a held write lock is retried at its transaction and succeeds")
    func verbRetried() async throws {
        try await withFileApp { app in
            let deal = try await openDeal(app)
            let holder = try await WriteLockHolder(app)
            let log = RetryLog()
            log.install(on: app, at: 1) { try? await holder.unlock() }
            let r = try await app.call(.PATCH, "/api/v1/deals/\(deal.id)", body: #"{"title":"Renamed while locked"}"#)
            #expect(r.status == .ok)
            #expect(log.retries == 1)
            #expect(r.path("deal", "title") as? String == "Renamed while locked")
        }
    }

    @Test("a deal verb locked out through every retry answers 503 busy and writes nothing")
    func verbStaysLocked() async throws {
        try await withFileApp { app in
            let deal = try await openDeal(app)
            let holder = try await WriteLockHolder(app)
            let log = RetryLog()
            log.install(on: app)
            let r = try await app.call(.PATCH, "/api/v1/deals/\(deal.id)", body: #"{"title":"Renamed while locked"}"#)
            try await holder.unlock()
            #expect(r.status == .serviceUnavailable)
            #expect(r["type"] as? String == "https://cosell.dev/problems/busy")
            #expect(r.headers.first(name: .retryAfter) == "1")
            #expect(log.retries == 5)
            let after = try await app.call(.GET, "/api/v1/deals/\(deal.id)")
            #expect(after.path("deal", "title") as? String == deal.title)
        }
    }
}

@Suite("SQLite busy waits are bounded")
struct SQLiteBusyTimeoutTests {
    @Test(
        "a transaction whose first statement writes, against a held lock, gives up after the busy timeout instead of spinning"
    )
    func writeFirstGivesUp() async throws {
        // SQLiteNIO's own busy handler retries forever on a thread-pool thread: without the busy
        // timeout `CoSellStore.transaction` sets, this write would never return.
        try await SQLiteRetryTests().withFileApp { app in
            let holder = try await WriteLockHolder(app)
            let store = CoSellStore(db: app.db(.untouched))
            await #expect {
                try await store.transaction { db in
                    try await (db as! any SQLDatabase).raw("UPDATE organizations SET name = name || '!'").run()
                }
            } throws: { isSQLiteWriteConflict($0) }
            try await holder.unlock()
            // Released, the same write goes through, once.
            try await store.transaction { db in
                try await (db as! any SQLDatabase).raw("UPDATE organizations SET name = name || '!'").run()
            }
            let names = try await (app.db as! any SQLDatabase).raw("SELECT name FROM organizations").all()
            #expect(try names.filter { try $0.decode(column: "name", as: String.self).hasSuffix("!!") }.isEmpty)
            #expect(try names.allSatisfy { try $0.decode(column: "name", as: String.self).hasSuffix("!") })
        }
    }

    @Test(
        "an API token's use met by a held write lock is tried once and briefly: the request is answered, a later one records the use"
    )
    func tokenUseDoesNotWaitOutTheWriter() async throws {
        try await SQLiteRetryTests().withFileApp { app in
            func used() async throws -> Int {
                let row = try await (app.db as! any SQLDatabase).raw(
                    "SELECT COUNT(*) AS n FROM api_tokens WHERE last_used_at IS NOT NULL"
                ).first()
                return try row?.decode(column: "n", as: Int.self) ?? -1
            }
            #expect(try await used() == 0)
            let holder = try await WriteLockHolder(app)
            let log = RetryLog()
            log.install(on: app)
            let r = try await app.call(.GET, "/api/v1/deals?limit=1", token: Token.hostSeller)
            #expect(r.status == .ok)
            // One attempt, not `transaction`'s retries (five, each waiting out the busy timeout).
            #expect(log.retries == 0)
            #expect(try await used() == 0)
            try await holder.unlock()
            let again = try await app.call(.GET, "/api/v1/deals?limit=1", token: Token.hostSeller)
            #expect(again.status == .ok)
            #expect(try await used() == 1)
            // The connection waits as long as before for the writes that follow.
            let store = CoSellStore(db: app.db)
            try await store.transaction { db in
                try await (db as! any SQLDatabase).raw("UPDATE organizations SET name = name").run()
            }
        }
    }

    @Test("the workers' rounds run on the long-work pool, not on a connection the requests wait for")
    func workersRunOnTheBulkPool() async throws {
        try await SQLiteRetryTests().withFileApp { app in
            #expect(app.backgroundDatabase.logger[metadataKey: "database-id"] == "bulk")
            #expect(app.db.logger[metadataKey: "database-id"] != "bulk")
            // The same database: what a round writes, a request reads.
            try await CoSellStore(db: app.backgroundDatabase).transaction { db in
                try await (db as! any SQLDatabase).raw("UPDATE organizations SET name = name || ' (bulk)'").run()
            }
            let names = try await (app.db as! any SQLDatabase).raw("SELECT name FROM organizations").all()
            #expect(!names.isEmpty)
            #expect(try names.allSatisfy { try $0.decode(column: "name", as: String.self).hasSuffix(" (bulk)") })
        }
    }
}
