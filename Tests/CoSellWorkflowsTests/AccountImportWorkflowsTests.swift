import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Testing

/// The account-import verbs, on every store.
@Suite("Account import workflows")
struct AccountImportWorkflowsTests {
    let f = WorkflowFixture()

    static let quarryFile = "account_id,name,website\nQ1,Acme,acme.example\nQ2,Globex,globex.example\n"
    static let halyardFile = "account_id,name,website\nH1,Acme Inc,acme.example\nH2,Initech,initech.example\n"

    func upload(
        _ csv: String, _ name: String = "accounts.csv"
    )
        -> @Sendable () async throws ->
        AccountImportWorkflows
        .Upload
    {
        // These tests replace lists on purpose: a file that retires much of one says so.
        { .init(.data(Data(csv.utf8), fileName: name), confirmRetirements: true) }
    }

    /// A body that must not be read: the verb refused before.
    static let unread: @Sendable () async throws -> AccountImportWorkflows.Upload = {
        Issue.record("the body was read")
        return .init(.data(Data(), fileName: "x.csv"))
    }

    @Test(
        "a file that would retire more than a tenth of the list, or an account with an open deal, waits for a yes; a partial update retires nothing",
        arguments: StoreKind.all)
    func retirementsNeedAYes(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let first = try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel), upload(Self.quarryFile))
            _ = try await w.imports.run(first)
            let partner = try await w.imports.start(
                into: f.halyard.id, by: f.principal(f.marcus), upload(Self.halyardFile))
            _ = try await w.imports.run(partner)
            let short = "account_id,name,website\nQ2,Globex,globex.example\n"
            // Q1 (Acme) is in the overlap with Halyard: half the list, one overlap.
            await #expect(
                throws: WorkflowError.invalid(
                    field: "confirm_retirements",
                    "This file would retire 1 of your 2 accounts (50%), losing 1 overlaps with partners. Confirm that the file is your whole export, or import it as a partial update that retires nothing."
                )
            ) {
                _ = try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel)) {
                    .init(.data(Data(short.utf8), fileName: "short.csv"))
                }
            }
            #expect(try await probe.activeCRMIDs(f.quarry.id) == ["Q1", "Q2"])
            let partial = try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel)) {
                .init(
                    .data(Data("account_id,name,website\nQ3,Hooli,hooli.example\n".utf8), fileName: "new.csv"),
                    mode: .partial)
            }
            #expect(partial.impact?.retired == 0)
            #expect(partial.impact?.added == 1)
            _ = try await w.imports.run(partial)
            let job = try #require(try await probe.importJob(partial.id))
            #expect([job.added, job.retired] == [1, 0] as [Int])
            #expect(try await probe.activeCRMIDs(f.quarry.id) == ["Q1", "Q2", "Q3"])
            #expect(try await probe.overlapPairs(f.partnership) == ["Q1|H1"])
            // Every import is in the audit log with what it did.
            let lines = try await probe.audits(f.quarry.id).filter { $0.kind == "accounts_imported" }.map(\.detail)
            #expect(lines.count == 2)
            #expect(
                lines.contains(
                    "Daniel Reyes imported new.csv as a partial update: 1 accounts, 1 new, 0 already known, 0 retired.")
            )
        }
    }

    @Test(
        "a deal keeps its account when a confirmed import retires that account from the CRM list",
        arguments: StoreKind.all)
    func dealsKeepTheirAccount(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            _ = try await w.imports.run(
                try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel), upload(Self.quarryFile)))
            _ = try await w.imports.run(
                try await w.imports.start(into: f.halyard.id, by: f.principal(f.marcus), upload(Self.halyardFile)))
            _ = try await w.partnerships.setSharing(in: f.partnership.id, by: f.principal(f.marcus)) { .overlapping }
            let target = try #require(try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.daniel)).first)
            let opened = try await w.targets.openDeal(in: f.partnership.id, by: f.principal(f.daniel)) {
                .init(overlapID: target.overlapID)
            }
            // Acme (Q1) leaves Quarry Data's CRM list: the open deal makes the import ask first.
            let short = "account_id,name,website\nQ2,Globex,globex.example\n"
            await #expect(throws: WorkflowError.self) {
                _ = try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel)) {
                    .init(.data(Data(short.utf8), fileName: "short.csv"))
                }
            }
            let confirmed = try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel)) {
                .init(.data(Data(short.utf8), fileName: "short.csv"), confirmRetirements: true)
            }
            #expect(confirmed.impact?.onOpenDeals == ["Acme"])
            _ = try await w.imports.run(confirmed)
            #expect(try await probe.activeCRMIDs(f.quarry.id) == ["Q2"])
            #expect(try await probe.overlapPairs(f.partnership).isEmpty)
            let deal = try #require(try await w.store.deal(opened.deal.id))
            #expect(deal.jointAccountID == opened.deal.jointAccountID)
            #expect(deal.accountName == "Acme")
            #expect(try await w.store.jointAccount(deal.jointAccountID)?.name == "Acme")
            // Restoring the list brings the target back with its link to the deal.
            _ = try await w.imports.restore(confirmed.id, by: f.principal(f.daniel))
            let back = try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.daniel))
            #expect(back.first { $0.overlapID == target.overlapID }.map { $0.overlapID } == target.overlapID)
            #expect(try await w.store.overlaps(of: f.partnership).first?.jointAccountID == opened.deal.jointAccountID)
        }
    }

    @Test(
        "an import writes the list, matches the partnership and succeeds; the next one updates and retires",
        arguments: StoreKind.all)
    func imports(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let first = try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel), upload(Self.quarryFile))
            #expect(try await probe.importJob(first.id)?.status == "running")
            let fractions = Fractions()
            #expect(try await w.imports.run(first) { fractions.add($0) } == 0)
            #expect(fractions.last == 1)
            #expect(try await probe.importJob(first.id)?.status == "succeeded")
            #expect(try await probe.importJob(first.id)?.added == 2)
            #expect(try await probe.activeCRMIDs(f.quarry.id) == ["Q1", "Q2"])

            let partner = try await w.imports.start(
                into: f.halyard.id, by: f.principal(f.marcus), upload(Self.halyardFile))
            #expect(try await w.imports.run(partner) == 1)
            #expect(try await probe.overlapPairs(f.partnership) == ["Q1|H1"])

            let again = try await w.imports.start(
                into: f.quarry.id, by: f.principal(f.daniel),
                upload("account_id,name,website\nQ1,Acme,acme.example\nQ3,Hooli,hooli.example\n"))
            #expect(try await w.imports.run(again) == 1)
            let job = try #require(try await probe.importJob(again.id))
            #expect([job.added, job.updated, job.unchanged, job.retired] == [1, 0, 1, 1] as [Int])
            #expect(try await probe.activeCRMIDs(f.quarry.id) == ["Q1", "Q3"])
        }
    }

    @Test(
        "starting an import is refused: another organization (body unread), a seller, a read-only token, an unreadable file",
        arguments: StoreKind.all)
    func startRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            await #expect(throws: WorkflowError.notFound("organization")) {
                try await w.imports.start(into: f.halyard.id, by: f.principal(f.daniel), Self.unread)
            }
            await #expect(
                throws: WorkflowError.forbidden("Only admins and partner managers import the CRM export.")
            ) {
                try await w.imports.start(into: f.quarry.id, by: f.principal(f.priya), Self.unread)
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel, scope: .read), Self.unread)
            }
            await #expect(
                throws: WorkflowError.invalid(
                    field: "body", "firm.csv line 1: no name column (expected one of: name, account name, accountname)")
            ) {
                try await w.imports.start(
                    into: f.quarry.id, by: f.principal(f.daniel), upload("Firm,Web\nAcme,acme.example\n", "firm.csv"))
            }
            let recorded = try await probe.importJobCount()
            #expect(recorded == 0)
        }
    }

    @Test(
        "a bulk write that fails leaves the earlier list as it was, and the job failed saying so",
        arguments: StoreKind.all)
    func failedImportKeepsList(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await w.imports.run(
                try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel), upload(Self.quarryFile)))
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            let second = try await w.imports.start(
                into: f.quarry.id, by: f.principal(f.daniel),
                upload("account_id,name,website\nQ9,Umbrella,umbrella.example\n"))
            await #expect(throws: FailingStore.Injected.self) { try await failing.imports.run(second) }
            #expect(try await probe.activeCRMIDs(f.quarry.id) == ["Q1", "Q2"])
            let job = try #require(try await probe.importJob(second.id))
            #expect(job.status == "failed")
            #expect(job.message?.hasPrefix("The import failed and nothing was changed") == true)
        }
    }

    @Test(
        "an uploaded file is kept for its person; confirming it records the job and drops the upload, all or nothing",
        arguments: StoreKind.all)
    func pendingUploads(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let daniel = f.principal(f.daniel)
            await #expect(
                throws: WorkflowError.forbidden("Only admins and partner managers import the CRM export.")
            ) {
                try await w.imports.keepUpload(fileName: "a.csv", data: Data(), by: f.principal(f.priya))
            }
            let up = try await w.imports.keepUpload(
                fileName: "accounts.csv", data: Data(Self.quarryFile.utf8), by: daniel)
            await #expect(throws: WorkflowError.notFound("upload")) {
                try await w.imports.start(pendingUpload: up.id, mapping: nil, by: f.principal(f.marcus))
            }
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.imports.start(pendingUpload: up.id, mapping: nil, by: daniel)
            }
            #expect(try await w.store.pendingUpload(up.id, personID: f.daniel.id) != nil)
            let started = try await w.imports.start(pendingUpload: up.id, mapping: nil, by: daniel)
            #expect(try await w.store.pendingUpload(up.id, personID: f.daniel.id) == nil)
            #expect(try await probe.importJob(started.id)?.status == "running")
            #expect(try await probe.importJobCount() == 1)
        }
    }

    @Test(
        "matching a partnership again: any writer of an active one; refused for others, read-only, pending",
        arguments: StoreKind.all)
    func refreshesOverlaps(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await w.imports.run(
                try await w.imports.start(into: f.quarry.id, by: f.principal(f.daniel), upload(Self.quarryFile)))
            try await w.imports.run(
                try await w.imports.start(into: f.halyard.id, by: f.principal(f.marcus), upload(Self.halyardFile)))
            #expect(try await w.imports.refreshOverlaps(of: f.partnership.id, by: f.principal(f.priya)) == 1)
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.imports.refreshOverlaps(of: f.partnership.id, by: f.principal(f.olga))
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.imports.refreshOverlaps(of: f.partnership.id, by: f.principal(f.priya, scope: .read))
            }
            let pending = try await w.partnerships.invite(by: f.principal(f.daniel)) {
                .init(name: "Quarry + Beacon", partnerDomain: f.outsider.domain!)
            }
            await #expect(throws: WorkflowError.conflict("The partnership is pending: nothing is shared in it.")) {
                try await w.imports.refreshOverlaps(of: pending.id, by: f.principal(f.daniel))
            }
        }
    }

    @Test(
        "an admin sets the profile and population rules; refused for others (body unread), non-admins, bad fields",
        arguments: StoreKind.all)
    func settings(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let rules = PopulationRules(rules: [.init(.prefix, "customer", .customer)])
            let wanted = AccountImportWorkflows.SettingsInput(
                idealCustomerProfile: .init(
                    industries: ["Logistics"], employeesMin: nil, employeesMax: 5_000, countries: ["US"]),
                populationRules: rules)
            let accepted = try await w.imports.setSettings(of: f.quarry.id, by: f.principal(f.daniel)) { wanted }
            #expect(accepted.idealCustomerProfile?.employeesMin == nil)
            #expect(try await w.store.populationRules(of: f.quarry.id) == rules)
            #expect(try await w.store.idealCustomerProfile(of: f.quarry.id)?.employeeRange == 0...5_000)
            let unread: @Sendable () async throws -> AccountImportWorkflows.SettingsInput = {
                Issue.record("the body was read")
                return wanted
            }
            await #expect(throws: WorkflowError.notFound("organization")) {
                try await w.imports.setSettings(of: f.halyard.id, by: f.principal(f.daniel), unread)
            }
            await #expect(throws: WorkflowError.forbidden("Only admins change the ideal customer profile.")) {
                try await w.imports.setSettings(of: f.quarry.id, by: f.principal(f.priya), unread)
            }
            let refusals: [(AccountImportWorkflows.SettingsInput, String)] = [
                (
                    .init(idealCustomerProfile: .init(industries: ["A", "B", "C", " "], countries: [])),
                    "ideal_customer_profile.industries[3]"
                ),
                (
                    .init(
                        idealCustomerProfile: .init(industries: [], employeesMin: 10, employeesMax: 5, countries: [])),
                    "ideal_customer_profile.employees_max"
                ),
                (
                    .init(populationRules: PopulationRules(rules: [.init(.equals, "", .customer)])),
                    "population_rules.rules[0].value"
                ),
                (
                    .init(
                        populationRules: PopulationRules(
                            rules: Array(repeating: .init(.equals, "x", .customer), count: 51))),
                    "population_rules.rules"
                ),
            ]
            for (input, field) in refusals {
                do {
                    try await w.imports.setSettings(of: f.quarry.id, by: f.principal(f.daniel)) { input }
                    Issue.record("\(field) was accepted")
                } catch WorkflowError.invalid(let named, _) {
                    #expect(named == field)
                }
            }
            #expect(try await w.store.populationRules(of: f.quarry.id) == rules)
        }
    }
}

/// The fractions a progress callback received.
final class Fractions: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ v: Double) { lock.withLock { values.append(v) } }
    var last: Double? { lock.withLock { values.last } }
}

/// What the import verbs wrote, from the store under test.
struct ImportJobSummary: Equatable {
    var status: String
    var message: String?
    var added: Int
    var updated: Int
    var unchanged: Int
    var retired: Int
}

extension Probe {
    func importJob(_ id: UUID) async throws -> ImportJobSummary? {
        switch self {
        case .memory(let s):
            return s.state.imports.jobs[id].map {
                ImportJobSummary(
                    status: $0.status, message: $0.message, added: $0.added, updated: $0.updated,
                    unchanged: $0.unchanged, retired: $0.retired)
            }
        case .fluent(let s):
            return try await s.accountImport(id).map {
                ImportJobSummary(
                    status: $0.status, message: $0.message, added: $0.added, updated: $0.updated,
                    unchanged: $0.unchanged, retired: $0.retired)
            }
        }
    }

    func importJobCount() async throws -> Int {
        switch self {
        case .memory(let s): return s.state.imports.jobs.count
        case .fluent(let s): return try await s.accountImportCount()
        }
    }

    func activeCRMIDs(_ organizationID: UUID) async throws -> [String] {
        switch self {
        case .memory(let s):
            return s.state.crmAccounts.values.filter { $0.organizationID == organizationID && $0.status == "active" }
                .map(\.crmID).sorted()
        case .fluent(let s): return try await s.accounts(of: organizationID).map(\.crmID).sorted()
        }
    }

    func overlapPairs(_ ps: Partnership) async throws -> [String] {
        let overlaps: [StoredOverlap]
        switch self {
        case .memory(let s): overlaps = try await s.overlaps(of: ps)
        case .fluent(let s): overlaps = try await s.overlaps(of: ps)
        }
        return overlaps.map { $0.accounts.map(\.crmID).joined(separator: "|") }.sorted()
    }
}
