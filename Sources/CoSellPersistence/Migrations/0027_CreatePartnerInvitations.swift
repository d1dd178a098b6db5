import FluentKit
import FluentSQL

/// Partnership invitations sent to a person at another company: the hash of the link's secret, the
/// invited domain and address, and the pending partnership once it exists.
struct CreatePartnerInvitations: AsyncMigration {
    var name: String { "0027_create_partner_invitations" }

    func prepare(on db: any Database) async throws {
        try await db.schema("partner_invitations")
            .field("id", .uuid, .identifier(auto: false))
            .field("from_organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("invited_by", .uuid, .required)
            .field("partnership_name", .string, .required)
            .field("partner_domain", .string, .required)
            .field("email", .string, .required)
            .field("token_hash", .string, .required)
            .field("partnership_id", .uuid, .references("partnerships", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "partner_invitations_from").on("partner_invitations")
                .column("from_organization_id").column("created_at").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("partner_invitations").delete()
    }
}
