import FluentSQLiteDriver

/// Whether an error is SQLite refusing a write because another connection holds the write lock in a
/// way its busy handler cannot wait out (a read transaction upgrading to write, a stale WAL snapshot).
/// Retrying the whole transaction is the remedy.
public func isSQLiteWriteConflict(_ error: any Error) -> Bool {
    guard let e = error as? SQLiteError else { return false }
    switch e.reason {
    case .busy, .locked, .busyInSnapshot, .busyInRecovery, .busyTimeout, .lockedBySharedCache: return true
    default: return false
    }
}
