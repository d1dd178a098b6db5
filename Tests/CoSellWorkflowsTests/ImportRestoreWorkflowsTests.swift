import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Testing

/// Restoring the previous import in one action, on every store.
@Suite("Restoring an account import")
struct ImportRestoreWorkflowsTests {
    let f = WorkflowFixture()

    /// Quarry Data's whole export: Acme (Q1, in the overlap with Halyard Security) and 25 more.
    static let quarryFile =
        "account_id,name,website,country\nQ1,Acme,acme.example,US\n"
        + (2...26).map { "Q\($0),Company \($0),company\($0).example,US\n" }.joined()
    /// A six-row file taken for the whole export: one account changed, three unchanged, two new; the
    /// 22 others (Acme among them) would be retired.
    static let sixRows = """
        account_id,name,website,country
        Q2,Company Two Renamed,company2.example,DE
        Q3,Company 3,company3.example,US
        Q4,Company 4,company4.example,US
        Q5,Company 5,company5.example,US
        N1,Hooli,hooli.example,US
        N2,Umbrella,umbrella.example,GB

        """

    func file(
        _ csv: String, _ name: String, mode: AccountImportWorkflows.Mode = .full
    )
        -> @Sendable () async throws -> AccountImportWorkflows.Upload
    {
        { .init(.data(Data(csv.utf8), fileName: name), mode: mode, confirmRetirements: true) }
    }

    /// Quarry Data's 26 accounts and Halyard Security's two imported and matched (one overlap); returns
    /// Quarry Data's job.
    func importBoth(_ w: Workflows) async throws -> UUID {
        let first = try await w.imports.start(
            into: f.quarry.id, by: f.principal(f.daniel), file(Self.quarryFile, "quarry.csv"))
        try await w.imports.run(first)
        try await w.imports.run(
            try await w.imports.start(
                into: f.halyard.id, by: f.principal(f.marcus), file(AccountImportWorkflowsTests.halyardFile, "h.csv")))
        return first.id
    }

    @Test(
        "a six-row full import that retired 22 accounts is restored in one action: the same active list with the same values, the overlap back, audited",
        arguments: StoreKind.all)
    func restoresTheList(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let firstID = try await importBoth(w)
            #expect(try await probe.overlapPairs(f.partnership) == ["Q1|H1"])
            let before = try await probe.allAccounts(f.quarry.id)
            #expect(before.count == 26)

            let six = try await w.imports.start(
                into: f.quarry.id, by: f.principal(f.daniel), file(Self.sixRows, "six.csv"))
            #expect(six.impact?.retired == 22)
            try await w.imports.run(six)
            #expect(try await probe.activeCRMIDs(f.quarry.id) == ["N1", "N2", "Q2", "Q3", "Q4", "Q5"])
            #expect(try await probe.overlapPairs(f.partnership).isEmpty)

            // The page's offer: 22 retired and Q2 changed go back, N1 and N2 are retired.
            let offer = try #require(try await w.imports.restorable(by: f.principal(f.daniel)))
            #expect(offer.importID == six.id)
            #expect([offer.accountsBack, offer.addedRetired] == [23, 2] as [Int])
            #expect(offer.fileName == "six.csv")

            let done = try await w.imports.restore(six.id, by: f.principal(f.daniel))
            #expect(
                [done.restoration.accountsBack, done.restoration.addedRetired, done.overlaps] == [23, 2, 1] as [Int])
            #expect(try await probe.activeCRMIDs(f.quarry.id) == (1...26).map { "Q\($0)" }.sorted())
            let after = try await probe.allAccounts(f.quarry.id)
            #expect(after.filter { !$0.crmID.hasPrefix("N") } == before)
            #expect(after.filter { $0.crmID.hasPrefix("N") }.map(\.status) == ["retired", "retired"])
            #expect(after.first { $0.crmID == "Q2" }?.name == "Company 2")
            #expect(try await probe.overlapPairs(f.partnership) == ["Q1|H1"])
            #expect(try await probe.restoredBy(six.id) == f.daniel.id)
            #expect(try await probe.importJob(six.id)?.status == "succeeded")

            let lines = try await probe.audits(f.quarry.id).filter { $0.kind == "accounts_restored" }.map(\.detail)
            #expect(
                lines == [
                    "Daniel Reyes restored the accounts as they were before the import of six.csv: 23 accounts back as they were, 2 accounts it added retired."
                ])

            // Once only, and only the latest import.
            #expect(try await w.imports.restorable(by: f.principal(f.daniel)) == nil)
            await #expect(throws: WorkflowError.conflict("The import of six.csv was restored already.")) {
                _ = try await w.imports.restore(six.id, by: f.principal(f.daniel))
            }
            await #expect(
                throws: WorkflowError.conflict(
                    "Only the latest import can be restored: a later import of your accounts replaced what the import of quarry.csv changed."
                )
            ) {
                _ = try await w.imports.restore(firstID, by: f.principal(f.daniel))
            }
            #expect(try await probe.activeCRMIDs(f.quarry.id) == (1...26).map { "Q\($0)" }.sorted())

            // An import after the restore works as ever, and is the one to restore next.
            let next = try await w.imports.start(
                into: f.quarry.id, by: f.principal(f.daniel),
                file("account_id,name,website\nN3,Globex,globex.example\n", "new.csv", mode: .partial))
            try await w.imports.run(next)
            #expect(try await probe.activeCRMIDs(f.quarry.id).count == 27)
            let offer2 = try #require(try await w.imports.restorable(by: f.principal(f.daniel)))
            #expect(offer2.importID == next.id)
            #expect([offer2.accountsBack, offer2.addedRetired] == [0, 1] as [Int])
        }
    }

    @Test(
        "a restore is refused: a seller, a read-only token, another company's import, a failed or running import, another import running",
        arguments: StoreKind.all)
    func refusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let firstID = try await importBoth(w)
            await #expect(
                throws: WorkflowError.forbidden("Only admins and partner managers import the CRM export.")
            ) {
                _ = try await w.imports.restore(firstID, by: f.principal(f.priya))
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                _ = try await w.imports.restore(firstID, by: f.principal(f.daniel, scope: .read))
            }
            await #expect(throws: WorkflowError.notFound("import")) {
                _ = try await w.imports.restore(firstID, by: f.principal(f.olga))
            }
            // Another company's seller learns no more than its admin: not found, not forbidden.
            let halyardSeller = Person(
                id: UUID(), organizationID: f.halyard.id, name: "Ines Park", email: "ines@halyardsecurity.example",
                role: .seller)
            await #expect(throws: WorkflowError.notFound("import")) {
                _ = try await w.imports.restore(firstID, by: f.principal(halyardSeller))
            }
            // A failed import changed nothing: it cannot be restored, and the one before it still can.
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            let failed = try await w.imports.start(
                into: f.quarry.id, by: f.principal(f.daniel), file(Self.sixRows, "failed.csv"))
            await #expect(throws: FailingStore.Injected.self) { try await failing.imports.run(failed) }
            await #expect(
                throws: WorkflowError.conflict(
                    "The import of failed.csv did not succeed, so there is nothing of it to restore.")
            ) {
                _ = try await w.imports.restore(failed.id, by: f.principal(f.daniel))
            }
            #expect(try await w.imports.restorable(by: f.principal(f.daniel))?.importID == firstID)
            // While an import runs, neither it nor the one before can be restored.
            let running = try await w.imports.start(
                into: f.quarry.id, by: f.principal(f.daniel), file(Self.sixRows, "running.csv"))
            await #expect(
                throws: WorkflowError.conflict(
                    "The import of running.csv is still running: it can be restored once it has finished.")
            ) {
                _ = try await w.imports.restore(running.id, by: f.principal(f.daniel))
            }
            await #expect(
                throws: WorkflowError.conflict("The import of running.csv is running: restore once it has finished.")
            ) {
                _ = try await w.imports.restore(firstID, by: f.principal(f.daniel))
            }
            #expect(try await w.imports.restorable(by: f.principal(f.daniel)) == nil)
            #expect(try await probe.activeCRMIDs(f.quarry.id).count == 26)
            #expect(try await probe.audits(f.quarry.id).filter { $0.kind == "accounts_restored" }.isEmpty)
        }
    }
}

extension Probe {
    /// The organization's accounts, retired ones included, by CRM id, with the time of their last
    /// change left out.
    func allAccounts(_ organizationID: UUID) async throws -> [CRMAccount] {
        let all: [CRMAccount]
        switch self {
        case .memory(let s): all = s.state.crmAccounts.values.filter { $0.organizationID == organizationID }
        case .fluent(let s): all = try await s.accounts(of: organizationID, includeRetired: true)
        }
        return all.map { a in
            var a = a
            a.updatedAt = Date(timeIntervalSince1970: 0)
            return a
        }.sorted { $0.crmID < $1.crmID }
    }

    func restoredBy(_ importID: UUID) async throws -> UUID? {
        switch self {
        case .memory(let s): return s.state.imports.jobs[importID]?.restoredBy
        case .fluent(let s): return try await s.accountImport(importID)?.restoredBy
        }
    }
}
