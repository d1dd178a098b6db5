import FluentKit
import FluentSQL

/// Partnerships' discovery calls: the call as one JSON document (content and confirmations), with
/// the partnership, the version an edit must name, and the day it was held for ordering.
struct CreateDiscoveryCalls: AsyncMigration {
    var name: String { "0029_create_discovery_calls" }

    func prepare(on db: any Database) async throws {
        try await db.schema("discovery_calls")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("held_on", .string, .required)
            .field("version", .int, .required)
            .field("document", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "discovery_calls_partnership").on("discovery_calls")
                .column("partnership_id").column("held_on").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("discovery_calls").delete()
    }
}
