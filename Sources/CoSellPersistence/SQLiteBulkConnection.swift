import Foundation
import VaporCSQLite

/// A connection of its own to an SQLite database file, for one long write (an import's accounts),
/// through SQLite's C API: each statement is prepared once and run for every row. SQLiteNIO prepares
/// a statement anew for every query, so a million rows went in as 500 statements of 2,000 rows each,
/// which SQLite parsed and Swift built and bound value by value: most of an import's time.
///
/// Blocking: use it from one thread that may wait (never an event loop or a thread of Swift
/// concurrency), and close it there. `SQLiteBulkConnection.run` gives it such a thread.
final class SQLiteBulkConnection {
    private var handle: OpaquePointer?

    /// Opens `path` (a file path, or an SQLite `file:` URI) for reading and writing, with foreign keys
    /// enforced as on the server's connections, waiting up to `busyTimeoutMilliseconds` for a lock
    /// another connection holds.
    init(path: String, busyTimeoutMilliseconds: Int) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        var db: OpaquePointer?
        let code = sqlite_nio_sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        guard code == SQLITE_OK, db != nil else {
            let message = db.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(code)"
            close()
            throw SQLiteBulkError(message: "Could not open the database file \(path): \(message)")
        }
        sqlite_nio_sqlite3_busy_timeout(db, Int32(busyTimeoutMilliseconds))
        try execute("PRAGMA foreign_keys = ON")
        // A page cache of up to 64 MB (SQLite's default is 2 MB): a transaction of a million rows
        // otherwise writes pages out to the log before it commits, and again each time it changes them.
        try execute("PRAGMA cache_size = -65536")
    }

    deinit { close() }

    func close() {
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs `sql` (one or more statements without parameters).
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastError
            sqlite_nio_sqlite3_free(error)
            throw SQLiteBulkError(message: message)
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw SQLiteBulkError(message: lastError)
        }
        return Statement(statement, connection: self)
    }

    /// Rows the last statement inserted, updated or deleted.
    var changes: Int { Int(sqlite_nio_sqlite3_changes(handle)) }

    var lastError: String { sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown SQLite error" }

    /// Runs `body` with a connection to `path` on a thread that may block, and closes it after. Long
    /// writes run one after the other; `reading` runs `body` on a thread for long reads instead (a
    /// read does not wait for another import's write).
    static func run<T: Sendable>(
        path: String, busyTimeoutMilliseconds: Int, reading: Bool = false,
        _ body: @escaping @Sendable (SQLiteBulkConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            (reading ? readQueue : queue).async {
                continuation.resume(
                    with: Result {
                        let connection = try SQLiteBulkConnection(
                            path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
                        defer { connection.close() }
                        return try body(connection)
                    })
            }
        }
    }

    /// Long writes, one after the other (SQLite has one writer at a time anyway).
    private static let queue = DispatchQueue(label: "cosell.sqlite-bulk", qos: .utility)
    /// Long reads (an organization's whole list), one after the other.
    private static let readQueue = DispatchQueue(label: "cosell.sqlite-bulk-read", qos: .utility)

    /// A prepared statement: bind its parameters (numbered from 1), `step`, `reset`, again.
    final class Statement {
        private var statement: OpaquePointer?
        private let connection: SQLiteBulkConnection

        fileprivate init(_ statement: OpaquePointer, connection: SQLiteBulkConnection) {
            self.statement = statement
            self.connection = connection
        }

        deinit { sqlite_nio_sqlite3_finalize(statement) }

        func bind(_ index: Int32, _ value: String?) throws {
            guard var value else { return try check(sqlite_nio_sqlite3_bind_null(statement, index)) }
            // SQLite copies the bytes (`SQLITE_TRANSIENT`); a NUL inside the text is kept, as the length
            // is given.
            let code = value.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    sqlite_nio_sqlite3_bind_text(
                        statement, index, chars.baseAddress ?? Self.empty, Int32(chars.count), Self.transient)
                }
            }
            try check(code)
        }

        func bind(_ index: Int32, _ value: Int?) throws {
            guard let value else { return try check(sqlite_nio_sqlite3_bind_null(statement, index)) }
            try check(sqlite_nio_sqlite3_bind_int64(statement, index, Int64(value)))
        }

        func bind(_ index: Int32, _ value: Double) throws {
            try check(sqlite_nio_sqlite3_bind_double(statement, index, value))
        }

        /// Runs the statement to its end (it returns no rows, or its rows are not wanted).
        func run() throws {
            var code = sqlite_nio_sqlite3_step(statement)
            while code == SQLITE_ROW { code = sqlite_nio_sqlite3_step(statement) }
            guard code == SQLITE_DONE else {
                sqlite_nio_sqlite3_reset(statement)
                throw SQLiteBulkError(message: connection.lastError)
            }
            sqlite_nio_sqlite3_reset(statement)
        }

        /// Calls `each` once per row, the statement positioned on it (read it with `column…`).
        func forEachRow(_ each: () throws -> Void) throws {
            defer { sqlite_nio_sqlite3_reset(statement) }
            while true {
                switch sqlite_nio_sqlite3_step(statement) {
                case SQLITE_ROW: try each()
                case SQLITE_DONE: return
                default: throw SQLiteBulkError(message: connection.lastError)
                }
            }
        }

        /// Column `i` (from 0) of the current row as text; nil for NULL.
        func columnText(_ i: Int32) -> String? {
            guard sqlite_nio_sqlite3_column_type(statement, i) != SQLITE_NULL,
                let text = sqlite_nio_sqlite3_column_text(statement, i)
            else { return nil }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, i))
            return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
        }

        /// Column `i` of the current row as an integer; nil for NULL.
        func columnInteger(_ i: Int32) -> Int? {
            sqlite_nio_sqlite3_column_type(statement, i) == SQLITE_NULL
                ? nil : Int(sqlite_nio_sqlite3_column_int64(statement, i))
        }

        /// Column `i` of the current row as SQLite holds it (for values stored another way than text).
        func columnType(_ i: Int32) -> Int32 { sqlite_nio_sqlite3_column_type(statement, i) }

        /// Column `i` of the current row as a floating-point number.
        func columnDouble(_ i: Int32) -> Double { sqlite_nio_sqlite3_column_double(statement, i) }

        /// The first column of the first row, as an integer (a count); nil without a row.
        func integer() throws -> Int? {
            defer { sqlite_nio_sqlite3_reset(statement) }
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW: return Int(sqlite_nio_sqlite3_column_int64(statement, 0))
            case SQLITE_DONE: return nil
            default: throw SQLiteBulkError(message: connection.lastError)
            }
        }

        /// The first column of the first row, as text; nil without a row or for NULL.
        func text() throws -> String? {
            defer { sqlite_nio_sqlite3_reset(statement) }
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW: return sqlite_nio_sqlite3_column_text(statement, 0).map { String(cString: $0) }
            case SQLITE_DONE: return nil
            default: throw SQLiteBulkError(message: connection.lastError)
            }
        }

        private func check(_ code: Int32) throws {
            guard code == SQLITE_OK else { throw SQLiteBulkError(message: connection.lastError) }
        }

        nonisolated(unsafe) private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        nonisolated(unsafe) private static let empty: UnsafePointer<CChar> = {
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
            p.initialize(to: 0)
            return UnsafePointer(p)
        }()
    }
}

/// What SQLite said when a statement of `SQLiteBulkConnection` failed.
struct SQLiteBulkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
