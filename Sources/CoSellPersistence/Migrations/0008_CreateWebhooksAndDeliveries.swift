import FluentKit
import FluentSQL

/// Outgoing webhooks: each organization's subscriptions, the queue of deliveries (written in the same
/// transaction as the deal change that raised them) and the keys of events raised by time passing,
/// so that a stall episode or a weekly review is emitted once even with several instances running.
struct CreateWebhooksAndDeliveries: AsyncMigration {
    var name: String { "0008_create_webhooks_and_deliveries" }

    func prepare(on db: any Database) async throws {
        try await db.schema("webhook_subscriptions")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("events", .string, .required)
            .field("format", .string, .required)
            .field("secret", .string, .required)
            .field("active", .bool, .required)
            .field("description", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("webhook_deliveries")
            .field("id", .uuid, .identifier(auto: false))
            .field(
                "subscription_id", .uuid, .required, .references("webhook_subscriptions", "id", onDelete: .cascade)
            )
            .field("organization_id", .uuid, .required)
            .field("event_id", .uuid, .required)
            .field("event_kind", .string, .required)
            .field("deal_id", .uuid)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_attempt_at", .datetime)
            .field("last_status_code", .int)
            .field("last_error", .string)
            .field("delivered_at", .datetime)
            .field("claimed_by", .string)
            .field("claimed_until", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "subscription_id", "event_id")
            .create()
        try await db.schema("webhook_emissions")
            .field("key", .string, .identifier(auto: false))
            .field("created_at", .datetime, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "webhook_deliveries_due").on("webhook_deliveries").column("status").column(
                "next_attempt_at"
            ).run()
            try await sql.create(index: "webhook_deliveries_subscription").on("webhook_deliveries").column(
                "subscription_id"
            ).column("created_at").run()
            try await sql.create(index: "webhook_subscriptions_org").on("webhook_subscriptions").column(
                "organization_id"
            ).run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("webhook_emissions").delete()
        try await db.schema("webhook_deliveries").delete()
        try await db.schema("webhook_subscriptions").delete()
    }
}
