import FluentKit
import FluentSQL

/// Index changes the board and the home page asked for, measured on 10,000 deals in SQLite:
/// - The one-column indexes on each organization were prefixes of the covering page indexes
///   (`deals_page_host`, `deals_page_partner`), and SQLite's planner preferred them, so every board
///   column read the wide rows that carry the documents. Without them the covering indexes answer
///   alone: the board's stage totals over every status went from 33 to 5 ms, a column from 13 to 2 ms.
/// - The participants' index on the person alone made "the deals this person is on" read the table
///   for each deal id; with the deal id in the index the lookup is covered (a seller's column with
///   7,153 deals went from 16 to 6 ms).
struct TunePageIndexes: AsyncMigration {
    var name: String { "0013_tune_page_indexes" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "deals_host_org").run()
        try await sql.drop(index: "deals_partner_org").run()
        try await sql.create(index: "deal_participants_person_deal").on("deal_participants").column("person_id")
            .column("deal_id").run()
        try await sql.drop(index: "deal_participants_person").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "deal_participants_person").on("deal_participants").column("person_id").run()
        try await sql.drop(index: "deal_participants_person_deal").run()
        try await sql.create(index: "deals_partner_org").on("deals").column("partner_organization_id").run()
        try await sql.create(index: "deals_host_org").on("deals").column("host_organization_id").run()
    }
}

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
