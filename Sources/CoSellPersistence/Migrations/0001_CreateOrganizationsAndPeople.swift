import FluentKit

struct CreateOrganizationsAndPeople: AsyncMigration {
    var name: String { "0001_create_organizations_and_people" }

    func prepare(on db: any Database) async throws {
        try await db.schema("organizations")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("domain", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("people")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .restrict))
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("title", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("people").delete()
        try await db.schema("organizations").delete()
    }
}
