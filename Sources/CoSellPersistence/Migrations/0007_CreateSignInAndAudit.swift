import FluentKit
import FluentSQL

struct CreateSignInAndAudit: AsyncMigration {
    var name: String { "0007_create_sign_in_and_audit" }

    func prepare(on db: any Database) async throws {
        try await db.schema("people").field("deactivated_at", .datetime).update()
        // One column per ALTER TABLE: SQLite adds (and drops) columns one at a time.
        try await db.schema("partnerships").field("invited_by", .uuid).update()
        try await db.schema("partnerships").field("ended_by", .uuid).update()
        try await db.schema("partnerships").field("ended_reason", .string).update()
        try await db.schema("credentials")
            .field("person_id", .uuid, .identifier(auto: false), .references("people", "id", onDelete: .cascade))
            .field("password_hash", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("sessions")
            .field("id", .uuid, .identifier(auto: false))
            .field("token_hash", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await db.schema("sign_in_failures")
            .field("id", .uuid, .identifier(auto: false))
            .field("email", .string, .required)
            .field("address", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await db.schema("audit_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid)
            .field("actor_id", .uuid)
            .field("actor_name", .string)
            .field("kind", .string, .required)
            .field("detail", .string, .required)
            .field("address", .string)
            .field("at", .datetime, .required)
            .create()
        try await db.schema("invitations")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("token_hash", .string, .required)
            .field("invited_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .unique(on: "token_hash")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "sign_in_failures_email").on("sign_in_failures").column("email").column("at")
                .run()
            try await sql.create(index: "sign_in_failures_address").on("sign_in_failures").column("address").column(
                "at"
            )
            .run()
            try await sql.create(index: "audit_events_org_at").on("audit_events").column("organization_id").column("at")
                .run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("invitations").delete()
        try await db.schema("audit_events").delete()
        try await db.schema("sign_in_failures").delete()
        try await db.schema("sessions").delete()
        try await db.schema("credentials").delete()
        try await db.schema("partnerships").deleteField("ended_reason").update()
        try await db.schema("partnerships").deleteField("ended_by").update()
        try await db.schema("partnerships").deleteField("invited_by").update()
        try await db.schema("people").deleteField("deactivated_at").update()
    }
}
