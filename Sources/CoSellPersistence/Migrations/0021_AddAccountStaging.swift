import FluentKit
import FluentSQL

/// Where an import puts the rows it will write (`CoSellStore.importAccounts`): filled in short
/// transactions, then applied to `crm_accounts` in one, then emptied.
struct AddAccountStaging: AsyncMigration {
    var name: String { "0021_add_account_staging" }

    func prepare(on db: any Database) async throws {
        try await db.schema("crm_account_staging")
            .field("id", .uuid, .identifier(auto: false))
            .field("import_id", .uuid, .required)
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
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "crm_account_staging_import_seq").on("crm_account_staging")
                .column("import_id").column("seq").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("crm_account_staging").delete()
    }
}
