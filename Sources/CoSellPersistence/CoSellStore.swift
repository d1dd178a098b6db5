import FluentKit
import FluentSQL

extension DatabaseID {
    /// The second pool on the application's database, for long work (`CoSellStore.bulk`).
    public static let bulk = DatabaseID(string: "bulk")
}

/// The repository for everything cosell keeps: plain values in, plain values out. Every multi-row
/// change runs in one transaction.
public struct CoSellStore: Sendable {
    public let db: any Database
    /// Parsed deal facts kept between requests (the server's); nil reads them from the database each time.
    public let factsCache: FactsCache?
    /// Called before each retry of a transaction SQLite refused for a concurrent writer, with the
    /// retry's number (1 for the first): lets a test act at that moment instead of after a delay.
    public let onRetry: (@Sendable (Int) async -> Void)?

    /// Retries after the first attempt, when SQLite refuses a transaction for a concurrent writer.
    public static let maxRetries = 5

    /// How long one SQLite statement waits for another connection's write lock before SQLite answers
    /// busy (and `transaction` retries after an async pause that holds no thread).
    ///
    /// SQLiteNIO opens every connection with a busy handler that retries at once, forever, on a thread
    /// of the application's thread pool: with two of them spinning, the connection that held the lock
    /// never got a thread to commit on, and the server stopped for good (seen in the test suite). A
    /// busy timeout replaces that handler: it sleeps between tries and gives up after this long. The
    /// composition root gives SQLite a thread per connection, so a waiting statement never holds up
    /// the lock's holder.
    public static let sqliteBusyTimeoutMilliseconds = 1_000

    /// Sets `sqliteBusyTimeoutMilliseconds` on the connection `db` holds, when it is SQLite. A
    /// pragma holds for the connection's life, so setting it in each transaction reaches every pooled
    /// connection at its first transaction. (A lone write outside a transaction, on a connection that
    /// has never run one, still has SQLiteNIO's handler; the product's writes are in transactions.)
    static func boundSQLiteWaits(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(sqliteBusyTimeoutMilliseconds))").run()
    }

    /// A pool of its own for long work (an import's staging and apply steps), so that a connection
    /// held for seconds is never one the requests are waiting for (Fluent's SQLite driver keeps one
    /// connection per event loop). Nil: long work uses `db`.
    public let bulk: (any Database)?

    public init(
        db: any Database, factsCache: FactsCache? = nil, onRetry: (@Sendable (Int) async -> Void)? = nil,
        bulk: (any Database)? = nil
    ) {
        self.db = db
        self.factsCache = factsCache
        self.onRetry = onRetry
        self.bulk = bulk
    }

    /// The store long work runs on: `bulk` when there is one and no transaction is open here.
    var forBulkWork: CoSellStore {
        guard let bulk, !db.inTransaction else { return self }
        return CoSellStore(db: bulk, factsCache: factsCache, onRetry: onRetry)
    }

    /// Runs `body` in one transaction (the caller's, when one is open). When SQLite refuses it for a
    /// concurrent writer (`isSQLiteWriteConflict`: the transaction read first and cannot take the
    /// write lock, or the lock stayed taken past the busy timeout), it was rolled back, and it runs
    /// again after a short random pause, up to `maxRetries` times; then the conflict is thrown (a 503).
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        if db.inTransaction { return try await body(db) }
        var attempt = 0
        while true {
            do {
                return try await db.transaction { tx in
                    try await Self.boundSQLiteWaits(tx)
                    return try await body(tx)
                }
            } catch  where isSQLiteWriteConflict(error) && attempt < Self.maxRetries {
                attempt += 1
                await onRetry?(attempt)
                try await Task.sleep(nanoseconds: UInt64.random(in: 5_000_000...30_000_000) * UInt64(attempt))
            }
        }
    }
}

extension CoSellStore {
    /// How long a write a request may skip waits for SQLite's writer (`transactionWaitingBriefly`):
    /// longer than the product's own short writes hold it, far shorter than an import does.
    public static let sqliteBriefWaitMilliseconds = 50

    /// One attempt at a transaction that waits for SQLite's writer only briefly
    /// (`sqliteBriefWaitMilliseconds`): for a write a request may skip (the time an API token was last
    /// used) while a long write holds the lock (an import applying a million rows). Then it fails, and
    /// `isSQLiteWriteConflict` tells the caller; the connection's usual wait is set back either way. On
    /// PostgreSQL it is one `transaction` without retries.
    func transactionWaitingBriefly<T: Sendable>(
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        if db.inTransaction { return try await body(db) }
        return try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase, sql.dialect.name == "sqlite" else { return try await body(tx) }
            try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.sqliteBriefWaitMilliseconds))").run()
            do {
                let value = try await body(tx)
                try await Self.boundSQLiteWaits(tx)
                return value
            } catch {
                try? await Self.boundSQLiteWaits(tx)
                throw error
            }
        }
    }

    var sql: any SQLDatabase {
        get throws {
            guard let sql = db as? any SQLDatabase else {
                throw StoreError.conflict("The database does not speak SQL.")
            }
            return sql
        }
    }
}
