import FluentKit

/// Partnerships' one-page joint value propositions: one row per partnership, its published version
/// and its draft as one JSON document, with the revision a write must name.
struct CreateValuePropositions: AsyncMigration {
    var name: String { "0032_create_value_propositions" }

    func prepare(on db: any Database) async throws {
        try await db.schema("value_propositions")
            .field(
                "partnership_id", .uuid, .identifier(auto: false),
                .references("partnerships", "id", onDelete: .cascade)
            )
            .field("revision", .int, .required)
            .field("document", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("value_propositions").delete()
    }
}
