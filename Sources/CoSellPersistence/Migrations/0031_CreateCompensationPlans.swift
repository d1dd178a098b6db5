import FluentKit

/// What each organization records, per partnership, about how its account executives are credited
/// for co-sell deals: one row per partnership and organization, replaced when recorded again.
struct CreateCompensationPlans: AsyncMigration {
    var name: String { "0031_create_compensation_plans" }

    func prepare(on db: any Database) async throws {
        try await db.schema("compensation_plans")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("credits", .string, .required)
            .field("note", .string)
            .field("recorded_by", .uuid, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "partnership_id", "organization_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("compensation_plans").delete()
    }
}
