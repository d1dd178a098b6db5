import CoSellApp
import CoSellPersistence
import CoSellWeb
import Fluent
import FluentSQL
import Foundation
import Vapor

/// The databases the API tests run against: SQLite always, PostgreSQL when
/// `COSELL_TEST_POSTGRES_URL` names a server (as `.ci/run` does).
public enum TestDatabase: CustomStringConvertible, Sendable {
    case sqlite
    case postgres(String)

    public static var all: [TestDatabase] {
        var list: [TestDatabase] = [.sqlite]
        if let url = ProcessInfo.processInfo.environment["COSELL_TEST_POSTGRES_URL"], !url.isEmpty {
            list.append(.postgres(url))
        }
        return list
    }

    public var description: String {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres: return "postgresql"
        }
    }
}

/// Builds the application through the composition root on a fresh database (a new in-memory SQLite,
/// or a new PostgreSQL database that is dropped afterwards), with the demo workspace loaded.
public func withTestApp(
    _ engine: TestDatabase, demo: Bool = true, _ body: (Application) async throws -> Void
) async throws {
    let usesPostgres: Bool
    if case .postgres = engine { usesPostgres = true } else { usesPostgres = false }
    if usesPostgres { await PostgresSlots.shared.acquire() }
    defer { if usesPostgres { Task { await PostgresSlots.shared.release() } } }
    var created: (admin: String, name: String)? = nil
    let choice: DatabaseChoice
    switch engine {
    case .sqlite:
        choice = .sqliteMemory
    case .postgres(let url):
        let name = "cosell_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await runOnPostgres(url, "CREATE DATABASE \(name)")
        created = (url, String(name))
        choice = .postgres(replaceDatabase(in: url, with: String(name)))
    }
    let app = try await Application.make(.testing)
    if case .postgres(let u) = choice { app.storage[CurrentDatabase.self] = u }
    do {
        try CoSellApp.configure(app, CoSellConfig(database: choice, loadDemo: demo, security: testSecurity))
        try await CoSellApp.prepare(app)
        if demo { try await CoSellApp.loadDemoIfEmpty(app) }
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        if let created { try? await runOnPostgres(created.admin, "DROP DATABASE IF EXISTS \(created.name)") }
        throw error
    }
    try await app.asyncShutdown()
    if let created { try await runOnPostgres(created.admin, "DROP DATABASE IF EXISTS \(created.name) WITH (FORCE)") }
}

/// How many test applications use PostgreSQL at once. Swift Testing runs tests in parallel, and each
/// application opens its own connection pool (some tests a second instance): unbounded, the suite runs
/// the server out of connections ("too many clients"). The tests wait for a slot instead.
actor PostgresSlots {
    static let shared = PostgresSlots(8)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ slots: Int) { free = slots }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Cheap bcrypt for tests (the production cost is 12), and webhooks allowed to private addresses:
/// the tests' receiver listens on 127.0.0.1 (`COSELL_WEBHOOK_ALLOW_PRIVATE=1` in a server).
public let testSecurity: SecuritySettings = {
    var s = SecuritySettings(bcryptCost: 4)
    s.allowPrivateWebhookAddresses = true
    return s
}()

public func replaceDatabase(in url: String, with name: String) -> String {
    var c = URLComponents(string: url)!
    c.path = "/" + name
    return c.string!
}

/// Runs one statement on the PostgreSQL server named by `url`.
public func runOnPostgres(_ url: String, _ statement: String) async throws {
    let app = try await Application.make(.testing)
    do {
        try CoSellApp.configure(app, CoSellConfig(database: .postgres(url), loadDemo: false))
        try await (app.db as! any SQLDatabase).raw(SQLQueryString(statement)).run()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// The PostgreSQL URL a test application uses, so that a second instance can share its database.
public enum CurrentDatabase: StorageKey {
    public typealias Value = String
    public static func url(of app: Application) -> String? { app.storage[CurrentDatabase.self] }
}
