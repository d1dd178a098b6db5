import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Vapor

/// The composition root: the server, the CLI and the tests build the application here.
public enum CoSellApp {
    /// Fixed id of the standard playbook, so every install names it the same way.
    public static var standardPlaybookID: UUID { Playbook.standardID }

    /// Configures databases, migrations and routes. Does not migrate.
    public static func configure(_ app: Application, _ config: CoSellConfig) throws {
        if config.database.kind == "sqlite" {
            // SQLite runs every statement on the application's thread pool, by default one thread per
            // core. A statement waiting for another connection's write lock (its busy timeout) holds
            // its thread; with as few threads as waiting connections, the connection holding the lock
            // had none left to commit on. One thread per connection (both pools, one connection per
            // event loop each) and two for file reads: a wait never holds up the lock's holder.
            app.threadPool = NIOThreadPool(numberOfThreads: 2 * System.coreCount + 2)
        }
        switch config.database {
        // Each engine twice: the default pool for requests, and `.bulk` on the same database for long
        // work (an import), so that the requests of an event loop never wait for a connection an
        // import holds.
        case .sqliteFile(let path):
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .bulk, isDefault: false)
        case .sqliteMemory:
            let memory = SQLiteConfiguration(storage: .memory(identifier: UUID().uuidString))
            app.databases.use(.sqlite(memory, sqlLogLevel: .trace), as: .sqlite)
            app.databases.use(.sqlite(memory, sqlLogLevel: .trace), as: .bulk, isDefault: false)
        case .postgres(let url):
            do {
                let pg = try SQLPostgresConfiguration(url: url)
                app.databases.use(.postgres(configuration: pg, sqlLogLevel: .trace), as: .psql)
                app.databases.use(.postgres(configuration: pg, sqlLogLevel: .trace), as: .bulk, isDefault: false)
            } catch {
                throw CoSellSetupError("DATABASE_URL is not a usable PostgreSQL URL (\(error)).")
            }
        }
        app.migrations.add(CoSellMigrations.all)
        app.security = config.security
        app.factsCache = config.factsCacheCapacity > 0 ? FactsCache(capacity: config.factsCacheCapacity) : nil
        // The one place a request's store is made: the web layer reads and writes through it, and
        // its verbs (`Workflows`) open their transactions on it.
        // A transaction SQLite refuses for a concurrent writer is retried at the transaction
        // (`CoSellStore.transaction`), and tells a test's `SQLiteRetryObserverKey`.
        app.storage[StoreFactoryKey.self] = { req in
            var onRetry: (@Sendable (Int) async -> Void)? = nil
            if let observe = req.application.storage[SQLiteRetryObserverKey.self] {
                onRetry = { n in await observe(req, n) }
            }
            return CoSellStore(
                db: req.db, factsCache: req.application.factsCache, onRetry: onRetry,
                bulk: req.application.db(.bulk))
        }
        app.http.server.configuration.hostname = config.hostname
        app.http.server.configuration.port = config.port
        // The client sends webhooks only: a redirect is an answer (not 2xx), never followed, so that a
        // receiver cannot send the delivery on to an address the guard refused.
        app.http.client.configuration.redirectConfiguration = .disallow
        CoSellRoutes.install(on: app, databaseKind: config.database.kind)
        if let worker = config.webhookWorker { app.lifecycle.use(WebhookWorkerLifecycle(settings: worker)) }
        app.mailStatus = MailStatus(
            configured: config.mail != nil, sender: config.mail.map { "\($0.smtp.sender)" })
        // Without mail the sweep still runs, for the overdue actions' webhook events.
        if config.runsMailWorker { app.lifecycle.use(MailWorkerLifecycle(settings: config.mail)) }
    }

    /// Brings the schema up to date and makes sure the standard playbook exists.
    public static func prepare(_ app: Application) async throws {
        if let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" {
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(CoSellStore.sqliteBusyTimeoutMilliseconds))")
                .run()
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
