import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Vapor

/// Where cosell keeps its data.
public enum DatabaseChoice: Sendable, Equatable {
    /// An embedded SQLite file (the default).
    case sqliteFile(String)
    /// An in-memory SQLite database (tests).
    case sqliteMemory
    /// A PostgreSQL server, by URL (`postgres://user@host:port/db?tlsmode=disable`).
    case postgres(String)

    public var kind: String {
        if case .postgres = self { return "postgresql" }
        return "sqlite"
    }

    /// `DATABASE_URL` when set, otherwise the SQLite file at `path`.
    public static func from(environment: [String: String], sqlitePath: String) -> DatabaseChoice {
        if let url = environment["DATABASE_URL"], !url.isEmpty { return .postgres(url) }
        return .sqliteFile(sqlitePath)
    }
}

public struct CoSellConfig: Sendable {
    public var database: DatabaseChoice
    public var hostname: String
    public var port: Int
    public var loadDemo: Bool
    public var security: SecuritySettings
    /// The webhook worker, started with the server; nil leaves it off (tests start it themselves).
    public var webhookWorker: WebhookWorkerSettings?
    /// How many parsed deal facts the server keeps between requests (`FactsCache`); 0 keeps none.
    /// Nil takes `COSELL_FACTS_CACHE` from the environment, or 300,000.
    public var factsCacheCapacity: Int? = nil

    public init(
        database: DatabaseChoice, hostname: String = "127.0.0.1", port: Int = 8080, loadDemo: Bool = true,
        security: SecuritySettings = .fromEnvironment(), webhookWorker: WebhookWorkerSettings? = nil
    ) {
        self.database = database
        self.hostname = hostname
        self.port = port
        self.loadDemo = loadDemo
        self.security = security
        self.webhookWorker = webhookWorker
    }
}

/// The composition root: the server, the CLI and the tests build the application here.
public enum CoSellApp {
    /// Fixed id of the standard playbook, so every install names it the same way.
    public static var standardPlaybookID: UUID { Playbook.standardID }

    /// Configures databases, migrations and routes. Does not migrate.
    public static func configure(_ app: Application, _ config: CoSellConfig) throws {
        switch config.database {
        case .sqliteFile(let path):
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .sqliteMemory:
            app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            do {
                let pg = try SQLPostgresConfiguration(url: url)
                app.databases.use(.postgres(configuration: pg, sqlLogLevel: .trace), as: .psql)
            } catch {
                throw CoSellSetupError("DATABASE_URL is not a usable PostgreSQL URL (\(error)).")
            }
        }
        app.migrations.add(CoSellMigrations.all)
        app.security = config.security
        let capacity = try config.factsCacheCapacity ?? factsCacheCapacity()
        app.factsCache = capacity > 0 ? FactsCache(capacity: capacity) : nil
        // The one place a request's store is made: the web layer reads and writes through it, and
        // its verbs (`Workflows`) open their transactions on it.
        // A transaction SQLite refuses for a concurrent writer is retried at the transaction
        // (`CoSellStore.transaction`), and tells a test's `SQLiteRetryObserverKey`.
        app.storage[StoreFactoryKey.self] = { req in
            var onRetry: (@Sendable (Int) async -> Void)? = nil
            if let observe = req.application.storage[SQLiteRetryObserverKey.self] {
                onRetry = { n in await observe(req, n) }
            }
            return CoSellStore(db: req.db, factsCache: req.application.factsCache, onRetry: onRetry)
        }
        app.http.server.configuration.hostname = config.hostname
        app.http.server.configuration.port = config.port
        // The client sends webhooks only: a redirect is an answer (not 2xx), never followed, so that a
        // receiver cannot send the delivery on to an address the guard refused.
        app.http.client.configuration.redirectConfiguration = .disallow
        CoSellRoutes.install(on: app, databaseKind: config.database.kind)
        if let worker = config.webhookWorker { app.lifecycle.use(WebhookWorkerLifecycle(settings: worker)) }
    }

    /// Brings the schema up to date and makes sure the standard playbook exists.
    public static func prepare(_ app: Application) async throws {
        if let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" {
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA busy_timeout = 5000").run()
        }
        try await app.autoMigrate()
        let store = CoSellStore(db: app.db)
        if try await store.playbook(standardPlaybookID) == nil {
            try await store.insert(Playbook.standard(id: standardPlaybookID, createdAt: Date()))
        }
    }

    /// Loads the demo workspace when the database has no organization yet. Returns false when it
    /// was already there (or something else was).
    @discardableResult
    public static func loadDemoIfEmpty(_ app: Application, now: Date = Date()) async throws -> Bool {
        let store = CoSellStore(db: app.db)
        guard try await store.isEmpty() else { return false }
        // One hash for every demo person: they share the demo password.
        let hash = try Bcrypt.hash(DemoLoader.password, cost: app.security.bcryptCost)
        try await DemoLoader.load(
            DemoWorkspace.make(now: now), into: app.db, standardPlaybookID: standardPlaybookID, passwordHash: hash)
        return true
    }
}

public struct CoSellSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

extension CoSellApp {
    /// `COSELL_FACTS_CACHE` (a count of deals' facts, 0 for none), or 300,000 when unset.
    public static func factsCacheCapacity(
        _ env: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Int {
        guard let raw = env["COSELL_FACTS_CACHE"], !raw.isEmpty else { return 300_000 }
        guard let n = Int(raw), n >= 0 else {
            throw CoSellSetupError("COSELL_FACTS_CACHE must be a whole number of deals, 0 or more (got \"\(raw)\").")
        }
        return n
    }
}

extension SecuritySettings {
    /// `COSELL_SECURE_COOKIES=1` and `COSELL_TRUST_FORWARDED_FOR=1` from the environment.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment
    ) -> SecuritySettings {
        var s = SecuritySettings(secureCookies: env["COSELL_SECURE_COOKIES"] == "1")
        s.trustForwardedFor = env["COSELL_TRUST_FORWARDED_FOR"] == "1"
        s.allowPrivateWebhookAddresses = env["COSELL_WEBHOOK_ALLOW_PRIVATE"] == "1"
        return s
    }
}
