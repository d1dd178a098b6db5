import FluentKit
import FluentSQL

/// The deal's partnership on each timeline entry, with an index on (partnership, time): the weekly
/// review reads a partnership's week of entries by that index alone. Before, it joined the entries to
/// the deals' facts, and SQLite walked every deal of the partnership and each deal's entries (0.4 s
/// for 40,000 deals and 390,000 entries). The index on time alone served only that query and goes.
struct AddEventPartnership: AsyncMigration {
    var name: String { "0014_add_event_partnership" }

    func prepare(on db: any Database) async throws {
        try await db.schema("deal_events").field("partnership_id", .uuid).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw(
            "UPDATE deal_events SET partnership_id = (SELECT deals.partnership_id FROM deals WHERE deals.id = deal_events.deal_id)"
        ).run()
        try await sql.create(index: "deal_events_partnership_at").on("deal_events").column("partnership_id")
            .column("at").run()
        try await sql.drop(index: "deal_events_at").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "deal_events_at").on("deal_events").column("at").run()
            try await sql.drop(index: "deal_events_partnership_at").run()
        }
        try await db.schema("deal_events").deleteField("partnership_id").update()
    }
}
