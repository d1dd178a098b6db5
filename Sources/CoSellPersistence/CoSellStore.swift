import FluentKit
import FluentSQL

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

    public init(db: any Database, factsCache: FactsCache? = nil, onRetry: (@Sendable (Int) async -> Void)? = nil) {
        self.db = db
        self.factsCache = factsCache
        self.onRetry = onRetry
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
                return try await db.transaction(body)
            } catch  where isSQLiteWriteConflict(error) && attempt < Self.maxRetries {
                attempt += 1
                await onRetry?(attempt)
                try await Task.sleep(nanoseconds: UInt64.random(in: 5_000_000...30_000_000) * UInt64(attempt))
            }
        }
    }
}

extension CoSellStore {
    var sql: any SQLDatabase {
        get throws {
            guard let sql = db as? any SQLDatabase else {
                throw StoreError.conflict("The database does not speak SQL.")
            }
            return sql
        }
    }
}
