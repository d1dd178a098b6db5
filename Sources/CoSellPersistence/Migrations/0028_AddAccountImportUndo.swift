import FluentKit
import FluentSQL

/// What the latest applied import of each organization replaced, so that it can be restored in one
/// action (`CoSellStore.restoreImport`): `crm_account_import_undo` holds, for each account the import
/// changed or retired, its values before (`action` `change`). Imports until December 2026 also kept
/// the id of each account they added (`action` `add`, no values); the accounts an import added are
/// now known by their `import_id` (for an older import, the same accounts as its `add` rows). An import's
/// rows replace the organization's previous ones when it is applied, so the table holds at most one
/// import's worth per organization.
///
/// On `account_imports`: whether the import can be restored (`restorable`: true on the latest applied
/// import of an organization until it is restored; older imports and those before 0028 are null or
/// false), and when and by whom it was restored, with how many accounts went back to their previous
/// values and how many of the accounts it added were retired.
struct AddAccountImportUndo: AsyncMigration {
    var name: String { "0028_add_account_import_undo" }

    static let importColumns: [(String, DatabaseSchema.DataType)] = [
        ("restorable", .bool), ("restored_at", .datetime), ("restored_by", .uuid),
        ("restored_accounts", .int), ("restored_retired", .int),
    ]

    func prepare(on db: any Database) async throws {
        try await db.schema("crm_account_import_undo")
            .field("import_id", .uuid, .required)
            .field("organization_id", .uuid, .required)
            .field("account_id", .uuid, .required)
            .field("action", .string, .required)
            .field("name", .string)
            .field("website", .string)
            .field("domain", .string)
            .field("country", .string)
            .field("industry", .string)
            .field("employees", .int)
            .field("population", .string)
            .field("status", .string)
            .field("previous_import_id", .uuid)
            .field("updated_at", .datetime)
            .field("street", .string)
            .field("city", .string)
            .field("state", .string)
            .field("postal_code", .string)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "crm_account_import_undo_import").on("crm_account_import_undo")
                .column("import_id").column("action").run()
            try await sql.create(index: "crm_account_import_undo_organization").on("crm_account_import_undo")
                .column("organization_id").run()
        }
        // One column per statement: SQLite adds one at a time.
        for (column, type) in Self.importColumns {
            try await db.schema("account_imports").field(.string(column), type).update()
        }
    }

    func revert(on db: any Database) async throws {
        for (column, _) in Self.importColumns.reversed() {
            try await db.schema("account_imports").deleteField(.string(column)).update()
        }
        try await db.schema("crm_account_import_undo").delete()
    }
}
