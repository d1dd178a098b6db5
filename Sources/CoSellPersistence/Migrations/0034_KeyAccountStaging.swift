import FluentKit
import FluentSQL
import Foundation

/// The staging table keyed by its import and row number, without a row id of its own: a random
/// UUID per staged row cost an insert at a random place of a million-entry index, and as much again
/// to delete it (about half of a million-row import on SQLite). The rows are transient, so the table
/// is made again; an import still running elsewhere (another instance on PostgreSQL) is marked failed,
/// so that it stops at its apply step instead of applying rows that are gone.
struct KeyAccountStaging: AsyncMigration {
    var name: String { "0034_key_account_staging" }

    func prepare(on db: any Database) async throws {
        try await Self.failRunning(on: db)
        try await db.schema("crm_account_staging").delete()
        try await Self.stagingFields(db.schema("crm_account_staging"))
            .compositeIdentifier(over: "import_id", "seq")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await Self.failRunning(on: db)
        try await db.schema("crm_account_staging").delete()
        try await AddAccountStaging().prepare(on: db)
    }

    /// The staging table's columns but the row id (as `AddAccountStaging` made them).
    static func stagingFields(_ s: SchemaBuilder) -> SchemaBuilder {
        s.field("import_id", .uuid, .required)
            .field("seq", .int, .required)
            .field("action", .string, .required)
            .field("account_id", .uuid, .required)
            .field("organization_id", .uuid, .required)
            .field("crm_id", .string, .required)
            .field("name", .string, .required)
            .field("website", .string)
            .field("domain", .string)
            .field("country", .string)
            .field("industry", .string)
            .field("employees", .int)
            .field("population", .string, .required)
            .field("status", .string, .required)
            .field("updated_at", .datetime, .required)
            .field("street", .string)
            .field("city", .string)
            .field("state", .string)
            .field("postal_code", .string)
    }

    static func failRunning(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.update("account_imports").set("status", to: "failed")
            .set(
                "message",
                to: "The server was upgraded while this import ran; nothing was changed. Import the file again."
            )
            .set("finished_at", to: Date())
            .where("status", .equal, "running").run()
    }
}
