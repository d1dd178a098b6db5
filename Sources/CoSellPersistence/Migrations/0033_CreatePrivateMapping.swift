import FluentKit

/// Private mapping: the server's secret per partnership and organization whose list it encrypts, and
/// the runs (the run as one JSON document, with the batch counter a write must name).
struct CreatePrivateMapping: AsyncMigration {
    var name: String { "0033_create_private_mapping" }

    func prepare(on db: any Database) async throws {
        try await db.schema("private_mapping_keys")
            .id()
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("secret", .data, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "partnership_id", "organization_id")
            .create()
        try await db.schema("private_mapping_runs")
            .id()
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("started_at", .datetime, .required)
            .field("next_batch", .int, .required)
            .field("document", .string, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("private_mapping_runs").delete()
        try await db.schema("private_mapping_keys").delete()
    }
}
