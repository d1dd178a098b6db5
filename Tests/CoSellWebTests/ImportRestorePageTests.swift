import CoSellApp
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

@Suite("Restoring an import on the import page")
struct ImportRestorePageTests {
    @Test(
        "the import page offers to restore the latest import, says what it will do, asks for a yes, then says what was restored",
        arguments: TestDatabase.all)
    func restore(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let host = PageClient(app)
            _ = try await host.signIn(People.hostPM)
            let before = try await app.store.accountCount(of: DemoIDs.host)
            #expect(before > 1)
            _ = try await host.get("/import")
            // One row taken for the whole export: every account of the demo's list but one retired.
            let upload = try await uploadFile(host, "name,website,status\nZephyr Freight,zephyr.example,customer\n")
            let done = try await host.post(upload.location! + "/confirm", ["confirm_retirements": "yes"])
            let importPath = try #require(done.location)
            await app.backgroundJobs.drain()
            #expect(try await app.store.accountCount(of: DemoIDs.host) == 1)

            let page = try await host.get("/import")
            #expect(page.html.contains("id=\"import-restore\""))
            #expect(page.html.contains("Your latest import: accounts.csv"))
            #expect(
                page.html.contains(
                    "\(before) accounts it changed or retired get their previous values back, and the 1 accounts it added are retired"
                ))
            #expect(page.html.contains("Restore the accounts as they were before this import"))
            #expect(page.html.contains("action=\"\(importPath)/restore\""))

            // No yes, nothing restored.
            let unconfirmed = try await host.post(importPath + "/restore")
            #expect(unconfirmed.status == .unprocessableEntity)
            #expect(unconfirmed.html.contains("Nothing was restored: tick the box"))
            #expect(try await app.store.accountCount(of: DemoIDs.host) == 1)

            // A seller may not; another company does not see it.
            let seller = PageClient(app)
            _ = try await seller.signIn(People.hostSeller)
            _ = try await seller.get("/")
            #expect(try await seller.post(importPath + "/restore", ["confirm_restore": "yes"]).status == .forbidden)
            let partner = PageClient(app)
            _ = try await partner.signIn(People.partnerPM)
            _ = try await partner.get("/")
            #expect(try await partner.post(importPath + "/restore", ["confirm_restore": "yes"]).status == .notFound)
            #expect(try await app.store.accountCount(of: DemoIDs.host) == 1)

            let restored = try await host.post(importPath + "/restore", ["confirm_restore": "yes"])
            #expect(restored.status == .seeOther)
            #expect(restored.location == importPath)
            #expect(try await app.store.accountCount(of: DemoIDs.host) == before)
            let result = try await host.get(importPath)
            #expect(result.html.contains("id=\"import-restored\""))
            #expect(
                result.html.contains(
                    "the accounts are back as they were before this import, \(before) accounts with their previous values and 1 accounts it added retired."
                ))

            // Restored once: the offer is gone, and a second try says why.
            #expect(!(try await host.get("/import")).html.contains("id=\"import-restore\""))
            let again = try await host.post(importPath + "/restore", ["confirm_restore": "yes"])
            #expect(again.status == .conflict)
            #expect(again.html.contains("Nothing was restored: The import of accounts.csv was restored already."))
        }
    }
}
