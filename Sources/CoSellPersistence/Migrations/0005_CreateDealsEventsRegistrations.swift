import FluentKit
import FluentSQL

struct CreateDeals: AsyncMigration {
    var name: String { "0005_create_deals_events_registrations" }

    func prepare(on db: any Database) async throws {
        try await db.schema("deals")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .restrict))
            .field("joint_account_id", .uuid, .required, .references("joint_accounts", "id", onDelete: .restrict))
            .field("host_organization_id", .uuid, .required)
            .field("partner_organization_id", .uuid, .required)
            .field("title", .string, .required)
            .field("stage_key", .string, .required)
            .field("stage_index", .int, .required)
            .field("status", .string, .required)
            .field("amount_minor", .int64)
            .field("currency", .string)
            .field("expected_close_date", .string)
            .field("playbook_id", .uuid, .required)
            .field("playbook_version", .int, .required)
            .field("stage_entered_at", .datetime, .required)
            .field("last_activity_at", .datetime, .required)
            .field("completed_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("version", .int, .required)
            .field("document", .string, .required)
            .create()
        try await db.schema("deal_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("sequence", .int, .required)
            .field("at", .datetime, .required)
            .field("actor_id", .uuid, .required)
            .field("actor_name", .string, .required)
            .field("kind", .string, .required)
            .field("summary", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .unique(on: "deal_id", "sequence")
            .create()
        // One registration per deal; while a registered deal is in play its row holds open_slot = "open",
        // so a second open registration for the same account in the same partnership violates the key.
        try await db.schema("registrations")
            .field("id", .uuid, .identifier(auto: false))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required)
            .field("joint_account_id", .uuid, .required)
            .field("registration_code", .string, .required)
            .field("attribution", .string, .required)
            .field("sourced_by", .string, .required)
            .field("registered_by", .uuid, .required)
            .field("registered_at", .datetime, .required)
            .field("open_slot", .string, .required)
            .unique(on: "deal_id")
            .unique(on: "partnership_id", "joint_account_id", "open_slot")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "deals_partnership_stage").on("deals").column("partnership_id").column(
                "stage_index"
            ).run()
            try await sql.create(index: "deals_host_org").on("deals").column("host_organization_id").run()
            try await sql.create(index: "deals_partner_org").on("deals").column("partner_organization_id").run()
            try await sql.create(index: "joint_accounts_partnership").on("joint_accounts").column("partnership_id")
                .run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("registrations").delete()
        try await db.schema("deal_events").delete()
        try await db.schema("deals").delete()
    }
}
