import FluentKit

struct CreateAPITokens: AsyncMigration {
    var name: String { "0002_create_api_tokens" }

    func prepare(on db: any Database) async throws {
        try await db.schema("api_tokens")
            .field("id", .uuid, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("scope", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("api_tokens").delete()
    }
}
