import FluentKit
import FluentSQL

/// Each company's named accounts per account executive in a partnership: a seller and a joint
/// account, in the order the company listed them. A pair is on one company's list once.
struct CreateNamedAccounts: AsyncMigration {
    var name: String { "0030_create_named_accounts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("named_accounts")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("joint_account_id", .uuid, .required, .references("joint_accounts", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "partnership_id", "person_id", "joint_account_id")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "named_accounts_person").on("named_accounts").column("person_id").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("named_accounts").delete()
    }
}
