import FluentKit
import FluentSQL

/// A compact line of facts per deal (`DealFacts`), in a narrow table beside the documents: the deal
/// board, the home page, the reports and the stall sweep read it. Existing deals get theirs here.
struct AddDealFacts: AsyncMigration {
    var name: String { "0011_add_deal_facts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("deal_facts")
            .field("deal_id", .uuid, .identifier(auto: false), .references("deals", "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required)
            .field("host_organization_id", .uuid, .required)
            .field("partner_organization_id", .uuid, .required)
            .field("status", .string, .required)
            .field("completed_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("version", .int, .required)
            .field("facts", .string, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "deal_facts_partnership").on("deal_facts").column("partnership_id")
                .column("created_at").run()
            try await sql.create(index: "deal_facts_status").on("deal_facts").column("status").run()
        }
        try await CoSellStore(db: db).rebuildDealFacts(revisions: false)
    }

    func revert(on db: any Database) async throws {
        try await db.schema("deal_facts").delete()
    }
}
