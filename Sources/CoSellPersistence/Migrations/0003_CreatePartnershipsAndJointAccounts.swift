import FluentKit

struct CreatePartnershipsAndAccounts: AsyncMigration {
    var name: String { "0003_create_partnerships_and_joint_accounts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("partnerships")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("organization_a_id", .uuid, .required, .references("organizations", "id", onDelete: .restrict))
            .field("organization_b_id", .uuid, .required, .references("organizations", "id", onDelete: .restrict))
            .field("status", .string, .required)
            .field("plan", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("joint_accounts")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("domain", .string)
            .field("country", .string)
            .field("industry", .string)
            .field("employees", .int)
            .field("origin", .string, .required)
            .field("reason", .string)
            .field("populations", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("joint_accounts").delete()
        try await db.schema("partnerships").delete()
    }
}
