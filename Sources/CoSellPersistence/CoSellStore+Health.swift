import FluentKit
import FluentSQL

extension CoSellStore {
    /// The number of migrations recorded in the database.
    public func appliedMigrations() async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// True when the database holds no organization yet (a fresh install).
    public func isEmpty() async throws -> Bool {
        try await OrganizationRecord.query(on: db).count() == 0
    }
}
