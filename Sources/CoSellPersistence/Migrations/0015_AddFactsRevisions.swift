import FluentKit
import FluentSQL

/// The revision of each partnership's facts, and the revision each facts row was written at (see
/// `FactsCache`). Existing rows start at revision 0.
struct AddFactsRevisions: AsyncMigration {
    var name: String { "0015_add_facts_revisions" }

    func prepare(on db: any Database) async throws {
        try await db.schema("facts_revisions")
            .field("partnership_id", .uuid, .identifier(auto: false))
            .field("revision", .int64, .required)
            .create()
        try await db.schema("deal_facts").field("changed_at_revision", .int64).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("UPDATE deal_facts SET changed_at_revision = 0").run()
        try await sql.create(index: "deal_facts_partnership_revision").on("deal_facts").column("partnership_id")
            .column("changed_at_revision").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "deal_facts_partnership_revision").run()
        }
        try await db.schema("deal_facts").deleteField("changed_at_revision").update()
        try await db.schema("facts_revisions").delete()
    }
}
