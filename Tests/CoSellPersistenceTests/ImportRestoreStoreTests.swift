import CoSellApp
import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellTestSupport
import FluentSQL
import Foundation
import Testing
import Vapor

/// `CoSellStore.restoreImport`: what an applied import replaced is kept (its organization's latest
/// import only) and put back in one transaction.
@Suite("Restoring a staged account import")
struct ImportRestoreStoreTests {
    let staged = StagedImportTests()

    func undoRows(_ app: Application) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await (app.db as! any SQLDatabase).raw(
            "SELECT import_id, COUNT(*) AS n FROM crm_account_import_undo GROUP BY import_id"
        ).all() {
            counts[try row.decode(column: "import_id", as: UUID.self).uuidString] = try row.decode(
                column: "n", as: Int.self)
        }
        return counts
    }

    /// Every account of the organization, retired ones too, without the time of its last change.
    func snapshot(_ store: CoSellStore, _ org: UUID) async throws -> [CRMAccount] {
        try await store.accounts(of: org, includeRetired: true).map { a in
            var a = a
            a.updatedAt = Date(timeIntervalSince1970: 0)
            return a
        }.sorted { $0.crmID < $1.crmID }
    }

    @Test(
        "a six-row full import retiring 22 accounts, restored: the previous list with its values and import, nothing kept after",
        arguments: TestDatabase.all)
    func restores(_ db: TestDatabase) async throws {
        try await withTestApp(db, demo: false) { app in
            let org = try await makeOrganization(app)
            let other = try await makeOrganization(app)
            let store = CoSellStore(db: app.db, bulk: app.db(.bulk))
            let first = try await staged.importFile(store, staged.csv(0..<26), org: org)
            // Adding accounts keeps no rows: they are known by their import. Another organization's import
            // that renames one keeps its own row.
            _ = try await staged.importFile(store, staged.csv(0..<3), org: other)
            let others = try await staged.importFile(
                store, staged.csv(0..<3, name: { $0 == 0 ? "Renamed 0" : "Company \($0)" }), org: other)
            #expect(try await undoRows(app) == [others.id.uuidString: 1])
            let before = try await snapshot(store, org)

            // c0…c3 kept (c0 renamed), two new, the 22 others retired.
            let six = try await staged.importFile(
                store, staged.csv([0, 1, 2, 3, 100, 101], name: { $0 == 0 ? "Renamed 0" : "Company \($0)" }), org: org)
            #expect([six.added, six.updated, six.unchanged, six.retired] == [2, 1, 3, 22] as [Int])
            // 23 changed (one renamed, 22 retired); the 2 added are known by their import.
            #expect(try await undoRows(app) == [six.id.uuidString: 23, others.id.uuidString: 1])
            #expect(try await store.accountCount(of: org) == 6)
            let offer = try #require(try await store.restorableImport(of: org))
            #expect(offer.0.id == six.id)
            #expect(offer.1 == ImportRestoreCounts(accountsBack: 23, addedRetired: 2))

            let (job, counts) = try await store.restoreImport(id: six.id, organizationID: org, by: nil, at: Date())
            #expect(counts == ImportRestoreCounts(accountsBack: 23, addedRetired: 2))
            #expect(job.restoredAt != nil)
            #expect([job.restoredAccounts, job.restoredRetired] == [23, 2] as [Int?])
            let after = try await snapshot(store, org)
            #expect(after.filter { !["c100", "c101"].contains($0.crmID) } == before)
            #expect(after.filter { ["c100", "c101"].contains($0.crmID) }.map(\.status) == ["retired", "retired"])
            #expect(try await store.accountCount(of: org) == 26)
            // The accounts are the first import's again.
            let imports = try await (app.db as! any SQLDatabase).raw(
                "SELECT DISTINCT import_id FROM crm_accounts WHERE organization_id = \(bind: org) AND status = 'active'"
            ).all().map { try $0.decode(column: "import_id", as: UUID.self) }
            #expect(imports == [first.id])
            #expect(try await undoRows(app) == [others.id.uuidString: 1])
            #expect(try await store.restorableImport(of: org) == nil)
            await #expect(throws: StoreError.conflict("The import of accounts.csv was restored already.")) {
                try await store.restoreImport(id: six.id, organizationID: org, by: nil, at: Date())
            }
            await #expect(throws: StoreError.notFound("import")) {
                try await store.restoreImport(id: others.id, organizationID: org, by: nil, at: Date())
            }
        }
    }
}
