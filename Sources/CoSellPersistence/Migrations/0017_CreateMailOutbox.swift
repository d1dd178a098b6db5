import FluentKit
import FluentSQL

/// Mail to people: the notes queued in the same transaction as the change that caused them (each
/// key once), claimed per person by one worker at a time (`mail_recipients`) and gathered into one mail; and each
/// person's choices (kinds off, digest only, unsubscribed) with the token of their unsubscribe link.
struct CreateMailOutbox: AsyncMigration {
    var name: String { "0017_create_mail_outbox" }

    func prepare(on db: any Database) async throws {
        try await db.schema("mail_notes")
            .field("id", .uuid, .identifier(auto: false))
            .field("key", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("path", .string, .required)
            .field("deal_id", .uuid)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("send_after", .datetime, .required)
            .field("claimed_by", .string)
            .field("claimed_until", .datetime)
            .field("sent_at", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "key")
            .create()
        // One row per person mailed: which worker holds the person (one at a time) and when the
        // last mail went, so that a person gets at most one mail per gap.
        try await db.schema("mail_recipients")
            .field("person_id", .uuid, .identifier(auto: false), .references("people", "id", onDelete: .cascade))
            .field("claimed_by", .string)
            .field("claimed_until", .datetime)
            .field("last_sent_at", .datetime)
            .create()
        try await db.schema("notification_preferences")
            .field("person_id", .uuid, .identifier(auto: false), .references("people", "id", onDelete: .cascade))
            .field("off_kinds", .string, .required)
            .field("digest_only", .bool, .required)
            .field("unsubscribed", .bool, .required)
            .field("unsubscribe_token", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "unsubscribe_token")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "mail_notes_due").on("mail_notes").column("status").column("send_after").run()
            try await sql.create(index: "mail_notes_person").on("mail_notes").column("person_id").column("sent_at")
                .run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("notification_preferences").delete()
        try await db.schema("mail_recipients").delete()
        try await db.schema("mail_notes").delete()
    }
}
