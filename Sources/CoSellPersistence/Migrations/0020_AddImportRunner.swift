import FluentKit

/// The process running an import (`ImportRunner`), so that a server starting on the same host can
/// tell a job whose process was killed from one still running, and mark it failed.
struct AddImportRunner: AsyncMigration {
    var name: String { "0020_add_import_runner" }

    func prepare(on db: any Database) async throws {
        try await db.schema("account_imports").field("runner", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("account_imports").deleteField("runner").update()
    }
}
