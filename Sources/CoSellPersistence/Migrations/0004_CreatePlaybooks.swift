import FluentKit

struct CreatePlaybooks: AsyncMigration {
    var name: String { "0004_create_playbooks" }

    func prepare(on db: any Database) async throws {
        try await db.schema("playbooks")
            .field("id", .uuid, .identifier(auto: false))
            .field("playbook_id", .uuid, .required)
            .field("version", .int, .required)
            .field("name", .string, .required)
            .field("definition", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .unique(on: "playbook_id", "version")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("playbooks").delete()
    }
}
