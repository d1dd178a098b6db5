import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

@Suite("Migrations")
struct MigrationTests {
    @Test("every migration reverts and applies again", arguments: TestDatabase.all)
    func revertAndMigrate(_ engine: TestDatabase) async throws {
        try await withTestApp(engine, demo: false) { app in
            try await app.autoRevert()
            #expect(try await CoSellStore(db: app.db).appliedMigrations() == 0)
            try await CoSellApp.prepare(app)
            #expect(try await CoSellStore(db: app.db).appliedMigrations() == CoSellMigrations.schemaVersion)
        }
    }

    /// Timeline entries whose partnership is missing or differs from their deal's, and all entries.
    static func eventPartnerships(_ app: Application) async throws -> (wrong: Int, all: Int) {
        let sql = try #require(app.db as? any SQLDatabase)
        let row = try #require(
            try await sql.raw(
                """
                SELECT CAST(COUNT(*) AS BIGINT) AS n,
                  CAST(SUM(CASE WHEN e.partnership_id IS NULL OR e.partnership_id <> d.partnership_id THEN 1 ELSE 0 END) AS BIGINT) AS wrong
                FROM deal_events e JOIN deals d ON d.id = e.deal_id
                """
            ).first())
        return (try row.decode(column: "wrong", as: Int.self), try row.decode(column: "n", as: Int.self))
    }

    @Test(
        "every timeline entry carries its deal's partnership: written with each entry, filled by the migration",
        arguments: TestDatabase.all)
    func eventPartnership(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            var counts = try await Self.eventPartnerships(app)
            #expect(counts.all > 14)
            #expect(counts.wrong == 0)

            // A new entry through the API.
            _ = try await changeADueDate(app, to: "2031-02-03")
            let before = counts.all
            counts = try await Self.eventPartnerships(app)
            #expect(counts.all == before + 1)
            #expect(counts.wrong == 0)

            // The migration fills the column for entries written before it: revert it, apply it again.
            let migration = try #require(CoSellMigrations.all.first { $0.name == "0014_add_event_partnership" })
            // On one connection: the in-memory SQLite of the tests shares its cache between connections,
            // and a second one may still see the column the first just dropped.
            try await app.db.withConnection { db in
                try await migration.revert(on: db)
                try await migration.prepare(on: db)
            }
            counts = try await Self.eventPartnerships(app)
            #expect(counts.all == before + 1)
            #expect(counts.wrong == 0)
        }
    }
}
