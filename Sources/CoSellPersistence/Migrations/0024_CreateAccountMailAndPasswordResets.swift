import FluentKit
import FluentSQL

/// Mail about a person's access, sent to an address (an invitee is not a person yet): invitation
/// links and password-reset links, queued with the invitation or reset in one transaction and
/// claimed by one worker at a time. Their link holds a secret: `path` is emptied once the mail is
/// sent or given up. Password resets keep the hash of their secret, never the secret.
struct CreateAccountMailAndPasswordResets: AsyncMigration {
    var name: String { "0024_create_account_mail_and_password_resets" }

    func prepare(on db: any Database) async throws {
        try await db.schema("account_mails")
            .field("id", .uuid, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("to_email", .string, .required)
            .field("to_name", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("path", .string, .required)
            .field("footer", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("send_after", .datetime, .required)
            .field("claimed_by", .string)
            .field("claimed_until", .datetime)
            .field("sent_at", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("password_resets")
            .field("id", .uuid, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "account_mails_due").on("account_mails").column("status").column("send_after")
                .run()
            try await sql.create(index: "password_resets_person").on("password_resets").column("person_id")
                .column("created_at").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("password_resets").delete()
        try await db.schema("account_mails").delete()
    }
}
