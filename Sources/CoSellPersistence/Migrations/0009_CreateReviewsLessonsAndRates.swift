import FluentKit
import FluentSQL

struct CreateReviewsLessonsAndRates: AsyncMigration {
    var name: String { "0009_create_reviews_lessons_and_rates" }

    func prepare(on db: any Database) async throws {
        try await db.schema("partnership_reviews")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("week", .string, .required)
            .field("attendees", .string, .required)
            .field("decisions", .string, .required)
            .field("recorded_by", .uuid, .required)
            .field("recorded_by_name", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "partnership_id", "week")
            .create()
        try await db.schema("lessons")
            .field("id", .uuid, .identifier(auto: false))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required)
            .field("stage_key", .string, .required)
            .field("play", .string)
            .field("text", .string, .required)
            .field("search_text", .string, .required)
            .field("author_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("applied_count", .int, .required)
            .create()
        try await db.schema("lesson_applications")
            .field("id", .uuid, .identifier(auto: false))
            .field("lesson_id", .uuid, .required, .references("lessons", "id", onDelete: .cascade))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("applied_by", .uuid, .required)
            .field("applied_at", .datetime, .required)
            .unique(on: "lesson_id", "deal_id")
            .create()
        try await db.schema("exchange_rates")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("reporting_currency", .string, .required)
            .field("date", .string, .required)
            .field("currency", .string, .required)
            .field("rate", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .unique(on: "organization_id", "reporting_currency", "currency", "date")
            .create()
        try await db.schema("gate_refusals")
            .field("id", .uuid, .identifier(auto: false))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required)
            .field("stage_key", .string, .required)
            .field("unmet", .string, .required)
            .field("actor_id", .uuid, .required)
            .field("actor_name", .string, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "lessons_partnership_stage").on("lessons").column("partnership_id")
                .column("stage_key").run()
            try await sql.create(index: "lessons_play_stage").on("lessons").column("play").column("stage_key").run()
            try await sql.create(index: "lessons_deal").on("lessons").column("deal_id").run()
            try await sql.create(index: "lesson_applications_deal").on("lesson_applications").column("deal_id").run()
            try await sql.create(index: "gate_refusals_partnership_at").on("gate_refusals").column("partnership_id")
                .column("at").run()
            // The weekly review reads one week of timeline entries.
            try await sql.create(index: "deal_events_at").on("deal_events").column("at").run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "deal_events_at").run()
        }
        try await db.schema("gate_refusals").delete()
        try await db.schema("exchange_rates").delete()
        try await db.schema("lesson_applications").delete()
        try await db.schema("lessons").delete()
        try await db.schema("partnership_reviews").delete()
    }
}
