import CoSellApp
import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellTestSupport
import CoSellWorkflows
import FluentSQL
import Foundation
import Testing
import Vapor

/// `CoSellStore.importAccounts` writes its rows in one transaction on SQLite (a connection of its
/// own), and stages them with `COPY` then applies them in one transaction on PostgreSQL: the counts
/// and the list must be what one big transaction gave, over several batches of each step, and
/// nothing is left staged.
@Suite("Staged account imports")
struct StagedImportTests {
    /// A CSV of `ids` (name and website from the id, `status` from `population`).
    func csv(
        _ ids: some Sequence<Int>, name: (Int) -> String = { "Company \($0)" }, population: String = "prospect"
    )
        -> AccountTable
    {
        var text = "account_id,name,website,country,status\n"
        for i in ids { text += "c\(i),\(name(i)),company\(i).example,US,\(population)\n" }
        return try! AccountTable.load(data: Data(text.utf8), fileName: "accounts.csv")
    }

    func stagedRows(_ app: Application) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM crm_account_staging").first()?
            .decode(column: "n", as: Int.self) ?? -1
    }

    func importFile(_ store: CoSellStore, _ table: AccountTable, org: UUID) async throws -> AccountImport {
        let id = UUID()
        try await store.startImport(id: id, organizationID: org, fileName: "accounts.csv", createdBy: nil, at: Date())
        return try await store.importAccounts(table, organizationID: org, importID: id, at: Date())
    }

    @Test(
        "an import's check reads the active accounts' keys (in a transaction too) and the overlaps whose two accounts are active",
        arguments: TestDatabase.all)
    func keysAndOverlapLinksForTheCheck(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let (org, other) = (try await makeOrganization(app), try await makeOrganization(app))
            let store = CoSellStore(db: app.db, bulk: app.db(.bulk))
            _ = try await importFile(store, csv(0..<6), org: org)
            _ = try await importFile(store, csv(0..<5), org: org)  // c5 retired
            _ = try await importFile(store, csv(2..<8), org: other)
            let active = try await store.accounts(of: org)
            let expected = Set(active.map { "\($0.id)|\($0.crmID)" })
            #expect(active.count == 5)
            #expect(Set(try await store.activeAccountKeys(of: org).map { "\($0.id)|\($0.crmID)" }) == expected)
            let inTransaction = try await store.transaction { tx in
                try await CoSellStore(db: tx).activeAccountKeys(of: org).map { "\($0.id)|\($0.crmID)" }
            }
            #expect(Set(inTransaction) == expected)

            let partnership = Partnership(id: UUID(), name: "Both", organizationIDs: [other, org], createdAt: Date())
            try await store.insert(partnership)
            try await store.refreshOverlaps(of: partnership, at: Date())
            func links() async throws -> [String] {
                try await store.activeOverlapLinks(of: partnership).map {
                    "\($0.accountIDs[0])|\($0.accountIDs[1])|\($0.accountNames.joined(separator: "/"))"
                }.sorted()
            }
            let overlaps = try await store.overlaps(of: partnership).map {
                "\($0.accounts[0].id)|\($0.accounts[1].id)|\($0.accounts[0].name)/\($0.accounts[1].name)"
            }.sorted()
            #expect(overlaps.count == 3)  // c2, c3, c4 on both lists
            #expect(try await links() == overlaps)
            // An account retired on one side takes its overlap out of the check's list, as out of the pages'.
            _ = try await importFile(store, csv(3..<8), org: other)
            #expect(try await links().count == 2)
            #expect(
                try await links()
                    == (try await store.overlaps(of: partnership).map {
                        "\($0.accounts[0].id)|\($0.accounts[1].id)|\($0.accounts[0].name)/\($0.accounts[1].name)"
                    }.sorted()))
        }
    }

    @Test("adds, changes, unchanged and retired over several batches, then nothing staged", arguments: TestDatabase.all)
    func countsOverBatches(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let org = try await makeOrganization(app)
            let store = CoSellStore(db: app.db, bulk: app.db(.bulk))
            // More than one piece of a COPY and one cleanup batch on PostgreSQL.
            let n = max(CoSellStore.importDropBatch, CoSellStore.importCopyPieceRows) + 7
            let first = try await importFile(store, csv(0..<n), org: org)
            #expect(first.status == "succeeded")
            #expect(first.added == n && first.updated == 0 && first.retired == 0)
            #expect(try await store.accountCount(of: org) == n)
            #expect(try await stagedRows(app) == 0)

            // Drop the first 100, rename every third of the rest, add 50 new.
            let second = try await importFile(
                store, csv(100..<(n + 50), name: { $0 % 3 == 0 ? "Renamed \($0)" : "Company \($0)" }), org: org)
            let renamed = (100..<n).filter { $0 % 3 == 0 }.count
            #expect(second.added == 50)
            #expect(second.updated == renamed)
            #expect(second.unchanged == n - 100 - renamed)
            #expect(second.retired == 100)
            let all = try await store.accounts(of: org, includeRetired: true)
            #expect(all.count == n + 50)
            #expect(all.filter { $0.status == "retired" }.map(\.crmID).sorted() == (0..<100).map { "c\($0)" }.sorted())
            #expect(all.first { $0.crmID == "c300" }?.name == "Renamed 300")
            #expect(all.first { $0.crmID == "c301" }?.name == "Company 301")
            #expect(try await stagedRows(app) == 0)

            // A retired account that comes back is active again.
            let third = try await importFile(store, csv(0..<1), org: org)
            #expect(third.updated == 1)
            #expect(try await store.accounts(of: org).map(\.crmID) == ["c0"])
        }
    }

    @Test(
        "an import stopped before its rows are applied changes nothing and leaves nothing staged",
        arguments: TestDatabase.all)
    func stoppedChangesNothing(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let org = try await makeOrganization(app)
            let store = CoSellStore(db: app.db, bulk: app.db(.bulk))
            _ = try await importFile(store, csv(0..<10), org: org)
            let id = UUID()
            try await store.startImport(id: id, organizationID: org, fileName: "b.csv", createdBy: nil, at: Date())
            // Another server marked the job failed (its process looked gone) before the rows were applied.
            try await store.failImport(id: id, message: "stopped", at: Date())
            await #expect(throws: StoreError.self) {
                _ = try await store.importAccounts(csv(5..<5000), organizationID: org, importID: id, at: Date())
            }
            #expect(try await store.accounts(of: org).map(\.crmID).sorted() == (0..<10).map { "c\($0)" }.sorted())
            #expect(try await stagedRows(app) == 0)
        }
    }

    @Test(
        "staged rows of an import no longer running are dropped; a running import's are kept",
        arguments: TestDatabase.all)
    func abandonedStagingDropped(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let org = try await makeOrganization(app)
            let store = CoSellStore(db: app.db)
            let (dead, alive) = (UUID(), UUID())
            for id in [dead, alive] {
                try await store.startImport(id: id, organizationID: org, fileName: "x.csv", createdBy: nil, at: Date())
            }
            try await store.failImport(id: dead, message: "killed", at: Date())
            let sql = app.db as! any SQLDatabase
            for (i, id) in [dead, alive].enumerated() {
                try await sql.raw(
                    """
                    INSERT INTO crm_account_staging (import_id, seq, action, account_id, organization_id, crm_id, \
                    name, population, status, updated_at) VALUES (\(bind: id), \(bind: i), 'add', \
                    \(bind: UUID()), \(bind: org), \(bind: "x\(i)"), 'X', 'prospect', 'active', \(bind: Date()))
                    """
                ).run()
            }
            try await store.dropAbandonedStaging()
            let left = try await sql.raw("SELECT import_id FROM crm_account_staging").all()
                .map { try $0.decode(column: "import_id", as: UUID.self) }
            #expect(left == [alive])
        }
    }

    @Test(
        "an account another import added meanwhile: SQLite keeps it and adds the rest, PostgreSQL refuses the file and writes nothing",
        arguments: TestDatabase.all)
    func sameCRMIDAddedMeanwhile(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let org = try await makeOrganization(app)
            let store = CoSellStore(db: app.db, bulk: app.db(.bulk))
            let sql = app.db as! any SQLDatabase
            _ = try await importFile(store, csv(0..<3), org: org)
            // Between the next import's plan and its writing, "another import" adds c10: a trigger on the
            // first thing the writing does (the earlier imports are no longer restorable) stands in for it.
            let sneaked = "6F1D7A36-3B0C-4C64-9E59-5B2F0C1A9D10"
            if case .postgres = db {
                try await sql.raw(
                    SQLQueryString(
                        """
                        CREATE FUNCTION sneak_in() RETURNS trigger AS $$ BEGIN \
                        INSERT INTO crm_accounts (id, organization_id, crm_id, name, population, status, updated_at) \
                        VALUES ('\(sneaked)', '\(org.uuidString)', 'c10', 'Sneaked In', 'prospect', 'active', now()); \
                        RETURN NULL; END $$ LANGUAGE plpgsql
                        """)
                ).run()
                try await sql.raw(
                    "CREATE TRIGGER sneak_in AFTER UPDATE ON account_imports FOR EACH STATEMENT EXECUTE FUNCTION sneak_in()"
                ).run()
            } else {
                try await sql.raw(
                    SQLQueryString(
                        """
                        CREATE TRIGGER sneak_in AFTER UPDATE OF restorable ON account_imports \
                        WHEN NEW.restorable = 0 BEGIN \
                        INSERT INTO crm_accounts (id, organization_id, crm_id, name, population, status, updated_at) \
                        VALUES ('\(sneaked)', '\(org.uuidString)', 'c10', 'Sneaked In', 'prospect', 'active', 0); END
                        """)
                ).run()
            }
            if case .postgres = db {
                await #expect(
                    throws: StoreError.conflict(
                        "Another import of these accounts added some of the same CRM ids while this one ran; nothing of this file was written. Import it again."
                    )
                ) {
                    _ = try await importFile(store, csv(5..<15), org: org)
                }
                try await sql.raw("DROP TRIGGER sneak_in ON account_imports").run()
                try await sql.raw("DROP FUNCTION sneak_in()").run()
                #expect(try await store.accounts(of: org).map(\.crmID).sorted() == ["c0", "c1", "c2"])
                #expect(try await stagedRows(app) == 0)
            } else {
                let job = try await importFile(store, csv(5..<15), org: org)
                try await sql.raw("DROP TRIGGER sneak_in").run()
                #expect(job.status == "succeeded")
                let active = try await store.accounts(of: org)
                #expect(active.map(\.crmID).sorted() == (5..<15).map { "c\($0)" }.sorted())
                #expect(active.first { $0.crmID == "c10" }?.name == "Sneaked In")
                #expect(active.filter { $0.name.hasPrefix("Company") }.count == 9)
            }
        }
    }

    @Test(
        "an import whose staged rows cannot be dropped after it was applied is still an applied import",
        arguments: TestDatabase.all)
    func cleanupFailureAfterApply(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let org = try await makeOrganization(app)
            let store = CoSellStore(db: app.db)
            let sql = app.db as! any SQLDatabase
            // New accounts are not staged (PostgreSQL copies them straight in): the second import changes
            // five, which PostgreSQL stages.
            _ = try await importFile(store, csv(0..<5), org: org)
            // The database refuses to delete staged rows (a trigger), so only the tidying up fails.
            if case .postgres = db {
                try await sql.raw(
                    """
                    CREATE OR REPLACE FUNCTION refuse_staging_delete() RETURNS trigger AS $$ \
                    BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql
                    """
                ).run()
                try await sql.raw(
                    """
                    CREATE TRIGGER keep_staging BEFORE DELETE ON crm_account_staging \
                    FOR EACH ROW EXECUTE FUNCTION refuse_staging_delete()
                    """
                ).run()
            } else {
                try await sql.raw(
                    """
                    CREATE TRIGGER keep_staging BEFORE DELETE ON crm_account_staging \
                    BEGIN SELECT RAISE(ABORT, 'refused'); END
                    """
                ).run()
            }
            let job = try await importFile(store, csv(0..<5, name: { "Renamed \($0)" }), org: org)
            #expect(job.updated == 5)
            #expect(job.status == "succeeded")
            #expect(try await store.accounts(of: org).map(\.name).sorted() == (0..<5).map { "Renamed \($0)" })
            let stored = try #require(try await store.accountImport(job.id))
            #expect(stored.status == "succeeded")
            if case .postgres = db {
                #expect(try await stagedRows(app) == 5)  // left behind, not lost
            } else {
                #expect(try await stagedRows(app) == 0)  // SQLite stages nothing
            }
            if case .postgres = db {
                try await sql.raw("DROP TRIGGER keep_staging ON crm_account_staging").run()
                try await sql.raw("DROP FUNCTION refuse_staging_delete()").run()
            } else {
                try await sql.raw("DROP TRIGGER keep_staging").run()
            }
            try await store.dropAbandonedStaging()
            #expect(try await stagedRows(app) == 0)
        }
    }

    @Test(
        "quotes, backslashes, tabs, line breaks, unicode and empty fields come back as the file had them",
        arguments: TestDatabase.all)
    func awkwardValuesRoundTrip(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let org = try await makeOrganization(app)
            let store = CoSellStore(db: app.db, bulk: app.db(.bulk))
            let text = """
                account_id,name,website,country,industry,employees,street,city
                a1,"O'Brien ""Big"" Co, Ltd",obrien.example,IE,Retail,12,"1 Main St\nSuite 2",Dublin
                a2,Back\\slash \\N Tab\there,back.example,US,,,\\N,
                a3,Zürich Ærø 株式会社 🚀,zurich.example,CH,Software,,"",Zürich
                a4,'; DROP TABLE crm_accounts; --,,,,7,,
                a5,"Bell\u{07} \\u0041 [""x"", null]",five.example,,null,,"\u{1F}",{}
                """
            let table = try AccountTable.load(data: Data(text.utf8), fileName: "awkward.csv")
            #expect(table.records.count == 5)
            let job = try await importFile(store, table, org: org)
            #expect(job.added == 5)
            let stored = Dictionary(
                uniqueKeysWithValues: try await store.accounts(of: org).map { ($0.crmID, $0) })
            #expect(stored.count == 5)
            for r in table.records {
                let a = try #require(stored[r.id])
                #expect(a.name == r.name)
                #expect(a.website == r.website)
                #expect(a.country == r.country)
                #expect(a.industry == r.industry)
                #expect(a.employees == r.employees)
                #expect(a.address?.line1 == r.street)
                #expect(a.address?.city == r.city)
            }
            #expect(stored["a1"]?.name == "O'Brien \"Big\" Co, Ltd")
            #expect(stored["a3"]?.name == "Zürich Ærø 株式会社 🚀")
            #expect(stored["a4"]?.name == "'; DROP TABLE crm_accounts; --")
            #expect(stored["a2"]?.industry == nil && stored["a2"]?.employees == nil)
            // Control characters and text that looks like JSON or an escape.
            #expect(stored["a5"]?.name == "Bell\u{07} \\u0041 [\"x\", null]")
            #expect(stored["a5"]?.industry == "null")
            #expect(stored["a5"]?.address?.line1 == "\u{1F}")
            #expect(stored["a5"]?.address?.city == "{}")
            // Importing the same file again finds every account unchanged: what was stored is what was read.
            let again = try await importFile(store, table, org: org)
            #expect(again.unchanged == 5 && again.updated == 0 && again.added == 0)
        }
    }

    @Test(
        "the list an import gives matching is the list it stored (full and partial imports), and matches the same",
        arguments: TestDatabase.all)
    func listGivenToMatchingIsTheStoredList(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let (org, other) = (try await makeOrganization(app), try await makeOrganization(app))
            let store = CoSellStore(db: app.db, bulk: app.db(.bulk))
            func importGivingList(_ table: AccountTable, full: Bool) async throws -> AccountsForMatching? {
                let id = UUID()
                try await store.startImport(
                    id: id, organizationID: org, fileName: "accounts.csv", createdBy: nil, at: Date())
                let (job, list) = try await store.importAccountsForMatching(
                    table, organizationID: org, importID: id, at: Date(), retireMissing: full)
                #expect(job.status == "succeeded")
                return list
            }
            func importGiving(_ table: AccountTable, full: Bool) async throws -> AccountsForMatching {
                try #require(try await importGivingList(table, full: full))
            }
            /// Everything matching reads of each row, in the list's order, with the account behind it.
            func rows(_ list: AccountsForMatching) -> [String] {
                (0..<list.table.count).map { i in
                    let r = list.table.record(at: i)
                    return [
                        list.ids[i].uuidString, r.id, r.name, r.website ?? "-", "\(r.domain)", r.country ?? "-",
                        r.industry ?? "-", r.employees.map { "\($0)" } ?? "-", r.population.rawValue,
                    ].joined(separator: "|")
                }
            }
            func expectStored(_ given: AccountsForMatching) async throws {
                let stored = try await store.accounts(of: org)
                #expect(!stored.isEmpty)
                #expect(given.ids.count == stored.count)
                // Row for row, in the same order, as the list read back is made for matching.
                #expect(rows(given) == rows(try AccountsForMatching.make(count: stored.count) { stored[$0] }))
            }
            // A first import, then a full one that drops 50, renames every third and adds 20, then a
            // partial one that brings back 5 retired accounts, renames 10, adds 5 and repeats a CRM id.
            try await expectStored(importGiving(csv(0..<300), full: true))
            try await expectStored(
                importGiving(csv(50..<320, name: { $0 % 3 == 0 ? "Renamed \($0)" : "Company \($0)" }), full: true))
            let last = try await importGiving(
                csv(Array(0..<5) + Array(60..<70) + Array(400..<405) + [3], name: { "Partial \($0)" }), full: false)
            try await expectStored(last)
            #expect(last.ids.count == 280)  // 270 kept, 5 brought back, 5 added

            // Matching with the list the import gave finds what matching the stored lists finds.
            _ = try await importFile(store, csv(0..<500), org: other)
            let partnership = Partnership(
                id: UUID(), name: "Both", organizationIDs: [other, org], createdAt: Date())
            try await store.insert(partnership)
            func pairs() async throws -> [String] {
                try await store.overlaps(of: partnership).map {
                    "\($0.accounts[0].crmID)-\($0.accounts[1].crmID)-\($0.relation)"
                }.sorted()
            }
            let givenCount = try await store.refreshOverlaps(of: partnership, at: Date(), known: (org, last))
            let given = try await pairs()
            let readCount = try await store.refreshOverlaps(of: partnership, at: Date())
            #expect(givenCount == readCount)
            #expect(given == (try await pairs()))
            #expect(given.count == last.ids.count)

            // While another import of the organization runs, the import does not vouch for its list
            // (the other could have changed what its plan read): matching reads the list instead.
            let running = UUID()
            try await store.startImport(
                id: running, organizationID: org, fileName: "other.csv", createdBy: nil, at: Date())
            let id = UUID()
            try await store.startImport(
                id: id, organizationID: org, fileName: "accounts.csv", createdBy: nil, at: Date())
            let (job, list) = try await store.importAccountsForMatching(
                csv(0..<10), organizationID: org, importID: id, at: Date(), retireMissing: false)
            #expect(job.status == "succeeded" && job.updated == 10)
            #expect(list == nil)
            // Once it has ended, the next import vouches for its list again.
            try await store.failImport(id: running, message: "stopped", at: Date())
            try await expectStored(try #require(try await importGivingList(csv(0..<10), full: false)))
        }
    }

    @Test(
        "more new or changed accounts than one piece of a COPY holds, and than one cleanup batch drops, are applied whole",
        arguments: TestDatabase.all)
    func largerThanOneStatement(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let org = try await makeOrganization(app)
            let store = CoSellStore(db: app.db, bulk: app.db(.bulk))
            let n = max(CoSellStore.importCopyPieceRows, CoSellStore.importDropBatch) + 3
            let job = try await importFile(store, csv(0..<n), org: org)
            #expect(job.added == n)
            #expect(try await store.accountCount(of: org) == n)
            let names = try await (app.db as! any SQLDatabase).raw(
                "SELECT COUNT(DISTINCT crm_id) AS n FROM crm_accounts WHERE organization_id = \(bind: org)"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(names == n)
            #expect(try await stagedRows(app) == 0)
            // Every one renamed: PostgreSQL stages them all (several pieces), applies and drops them.
            let renamed = try await importFile(store, csv(0..<n, name: { "Renamed \($0)" }), org: org)
            #expect(renamed.updated == n && renamed.added == 0 && renamed.unchanged == 0)
            let after = try await store.accounts(of: org)
            #expect(after.count == n)
            #expect(after.allSatisfy { $0.name == "Renamed \($0.crmID.dropFirst())" })
            #expect(try await stagedRows(app) == 0)
        }
    }

    @Test(
        "a refresh over more overlaps than one statement keeps the linked pairs (hidden while an account is retired), drops the gone and adds the new",
        arguments: TestDatabase.all)
    func overlapsRefreshInBatches(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let (orgA, orgB) = (try await makeOrganization(app), try await makeOrganization(app))
            let store = CoSellStore(db: app.db, bulk: app.db(.bulk))
            let partnership = Partnership(
                id: UUID(), name: "A and B", organizationIDs: [orgA, orgB], createdAt: Date())
            try await store.insert(partnership)
            let n = 2 * CoSellStore.overlapBatch + 10
            // The same companies in both lists (the same websites), under other CRM ids.
            _ = try await importFile(store, csv(0..<n), org: orgA)
            _ = try await importFile(store, csv(0..<n), org: orgB)
            #expect(try await store.refreshOverlaps(of: partnership, at: Date()) == n)
            let first = try await store.overlaps(of: partnership)
            #expect(first.count == n)
            let linked = try #require(first.first { $0.accounts[0].crmID == "c7" })
            let joint = UUID()
            try await store.linkOverlap(linked.id, to: joint)

            // B drops the first 500 companies and adds 5 A does not have.
            _ = try await importFile(store, csv(Array(500..<n) + Array((n + 100)..<(n + 105))), org: orgB)
            #expect(try await store.refreshOverlaps(of: partnership, at: Date()) == n - 500)
            let second = try await store.overlaps(of: partnership)
            #expect(second.count == n - 500)
            #expect(Set(second.map { $0.accounts[0].crmID }) == Set((500..<n).map { "c\($0)" }))
            let rows = try await (app.db as! any SQLDatabase).raw(
                #"SELECT COUNT(*) AS n FROM "overlaps" WHERE partnership_id = \#(bind: partnership.id)"#
            ).first()?.decode(column: "n", as: Int.self)
            // The gone pairs are deleted, not only hidden; but c7's, linked to a deal's joint account, is
            // kept while its account is retired (hidden from the overlaps), so that it can come back.
            #expect(rows == n - 500 + 1)

            // The linked pair survives a refresh that keeps it, with its id and link.
            _ = try await importFile(store, csv(0..<n), org: orgB)
            #expect(try await store.refreshOverlaps(of: partnership, at: Date()) == n)
            let third = try await store.overlaps(of: partnership)
            let kept = try #require(third.first { $0.accounts[0].crmID == "c600" })
            let before = try #require(second.first { $0.accounts[0].crmID == "c600" })
            #expect(kept.id == before.id)
            let relinked = try #require(third.first { $0.accounts[0].crmID == "c7" })
            #expect(relinked.id == linked.id)  // c7 was retired in between: back with its id and link
            #expect(relinked.jointAccountID == joint)
            #expect(third.filter { $0.jointAccountID != nil }.map(\.id) == [linked.id])
        }
    }
}

/// A new organization with no accounts.
func makeOrganization(_ app: Application) async throws -> UUID {
    let id = UUID()
    try await CoSellStore(db: app.db).insert(
        Organization(id: id, name: "Importer \(id.uuidString.prefix(4))", domain: nil, createdAt: Date()))
    return id
}
