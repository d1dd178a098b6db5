import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import Foundation
import Testing

/// The account-mapping queries and starting a deal on a target, on every store.
@Suite("Target workflows")
struct TargetWorkflowsTests {
    let f = WorkflowFixture()

    @Test(
        "ranked targets: only what the partner shares, best first, with both fits and the play",
        arguments: StoreKind.all)
    func ranked(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await MappingSeed.write(f, probe)
            let mine = try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.priya))
            #expect(mine.map(\.yours.name) == ["Northwind Logistics", "Acme Software", "Globex Retail"])
            #expect(mine.map(\.play) == [.partner_opens_door, .shared_customer, .joint_prospect])
            #expect(mine.map(\.priority) == [435, 25, 15])
            #expect(mine.map(\.yourFit) == [.strong, .strong, .partial])
            #expect(mine.map(\.partnerFit) == [.strong, CoSellMatching.Fit.none, CoSellMatching.Fit.none])
            #expect(mine.map(\.doorOpener) == [.partner, nil, nil])
            #expect(mine.map(\.partners.population) == ["customer", "customer", "prospect"])
            #expect(mine.allSatisfy { $0.relation == "same_account" && $0.jointAccountID == nil })
            // Quarry Data shares only its customers: Halyard sees the one overlap where Quarry's account is one.
            let theirs = try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.marcus))
            #expect(theirs.map(\.yours.name) == ["Acme Software"])
            #expect(theirs.map(\.yours.organizationID) == [f.halyard.id])
            #expect(theirs.map(\.yourFit) == [CoSellMatching.Fit.none])
        }
    }

    @Test("the matrix counts same-account overlaps and hides the columns the partner hides", arguments: StoreKind.all)
    func matrix(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await MappingSeed.write(f, probe)
            let m = try await w.targets.matrix(in: f.partnership.id, by: f.principal(f.daniel))
            #expect(m.populations == ["customer", "open_opportunity", "prospect"])
            #expect(m.rows.map(\.population) == m.populations)
            #expect(m.rows.map(\.counts) == [[1, nil, 0], [0, nil, 1], [1, nil, 0]])
            #expect(m.partnerSharing.map(\.organizationID) == Array(repeating: f.halyard.id, count: 3))
            #expect(m.partnerSharing.map(\.level) == [.overlappingAccounts, .hidden, .allAccounts])
            let theirs = try await w.targets.matrix(in: f.partnership.id, by: f.principal(f.marcus))
            #expect(theirs.rows.map(\.counts) == [[1, nil, nil], [0, nil, nil], [0, nil, nil]])
        }
    }

    @Test("the partner's accounts: only the populations it shares as all accounts", arguments: StoreKind.all)
    func partnerAccounts(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await MappingSeed.write(f, probe)
            let accounts = try await w.targets.partnerAccounts(in: f.partnership.id, by: f.principal(f.priya))
            #expect(accounts.map(\.name) == ["Globex Retail", "Harbor Mills"])
            #expect(accounts.allSatisfy { $0.organizationID == f.halyard.id && $0.population == "prospect" })
            #expect(try await w.targets.partnerAccounts(in: f.partnership.id, by: f.principal(f.marcus)).isEmpty)
        }
    }

    @Test("sharing: both sides' levels for every population, unset ones hidden", arguments: StoreKind.all)
    func sharing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await MappingSeed.write(f, probe)
            let levels = try await w.targets.sharing(in: f.partnership.id, by: f.principal(f.marcus))
            #expect(
                levels.map(\.organizationID) == [f.quarry.id, f.quarry.id, f.quarry.id]
                    + Array(repeating: f.halyard.id, count: 3))
            #expect(
                levels.map(\.population) == [
                    "customer", "open_opportunity", "prospect", "customer", "open_opportunity", "prospect",
                ])
            #expect(
                levels.map(\.level) == [
                    .overlappingAccounts, .hidden, .hidden, .overlappingAccounts, .hidden, .allAccounts,
                ])
        }
    }

    @Test("the queries: not found for an outsider, a conflict once the partnership has ended", arguments: StoreKind.all)
    func queryRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await MappingSeed.write(f, probe)
            let olga = f.principal(f.olga)
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.targets.ranked(in: f.partnership.id, by: olga)
            }
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.targets.matrix(in: f.partnership.id, by: olga)
            }
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.targets.partnerAccounts(in: f.partnership.id, by: olga)
            }
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.targets.sharing(in: f.partnership.id, by: olga)
            }
            _ = try await w.partnerships.end(f.partnership.id, reason: "Done for now", by: f.principal(f.daniel))
            let ended = WorkflowError.conflict("The partnership is ended: nothing is shared in it.")
            await #expect(throws: ended) { try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.priya)) }
            await #expect(throws: ended) { try await w.targets.matrix(in: f.partnership.id, by: f.principal(f.priya)) }
            await #expect(throws: ended) {
                try await w.targets.partnerAccounts(in: f.partnership.id, by: f.principal(f.priya))
            }
            await #expect(throws: ended) { try await w.targets.sharing(in: f.partnership.id, by: f.principal(f.priya)) }
        }
    }

    @Test(
        "a deal on a target makes its joint account once, links it, and opens with the fits and the door-opener",
        arguments: StoreKind.all)
    func openDeal(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await MappingSeed.write(f, probe)
            let target = try #require(try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.priya)).first)
            let r = try await w.targets.openDeal(in: f.partnership.id, by: f.principal(f.priya)) {
                .init(overlapID: target.overlapID)
            }
            #expect(r.at == f.now)
            #expect(r.deal.title == "Northwind Logistics joint deal")
            #expect(r.deal.hostOrganizationID == f.quarry.id)
            #expect(r.deal.stageIndex == 0)
            let account = try #require(try await w.store.jointAccount(r.deal.jointAccountID))
            #expect(account.name == "Northwind Logistics")
            #expect(account.origin == .overlap)
            #expect(account.createdAt == f.now)
            #expect(account.populations.map(\.population) == ["prospect", "customer"])
            #expect(try await w.store.deal(r.deal.id)?.version == r.deal.version)
            let timeline = try await probe.timeline(r.deal.id)
            #expect(timeline.count == r.deal.version)
            #expect(timeline.count > 1)
            // The overlap now points at the joint account; a second deal on it reuses that account.
            let linked = try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.priya)).first
            #expect(linked?.jointAccountID == account.id)
            let again = try await w.targets.openDeal(in: f.partnership.id, by: f.principal(f.daniel)) {
                .init(
                    overlapID: target.overlapID, title: "Northwind, phase two",
                    parallelReason: "Phase two is its own budget and decision.")
            }
            #expect(again.deal.jointAccountID == account.id)
            #expect(again.deal.title == "Northwind, phase two")
        }
    }

    @Test(
        "starting a deal on a target: 404 for outsiders and unshared targets, 403 read-only, 409 once ended",
        arguments: StoreKind.all)
    func openDealRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await MappingSeed.write(f, probe)
            let ranked = try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.priya))
            let northwind = try #require(ranked.first).overlapID
            let unread: @Sendable () async throws -> TargetWorkflows.TargetDeal = {
                throw WorkflowError.invalid(field: "title", "The request was read.")
            }
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.targets.openDeal(in: f.partnership.id, by: f.principal(f.olga), onTarget: unread)
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.targets.openDeal(
                    in: f.partnership.id, by: f.principal(f.priya, scope: .read), onTarget: unread)
            }
            await #expect(throws: WorkflowError.invalid(field: "title", "The request was read.")) {
                try await w.targets.openDeal(in: f.partnership.id, by: f.principal(f.priya), onTarget: unread)
            }
            await #expect(throws: WorkflowError.notFound("target account")) {
                try await w.targets.openDeal(in: f.partnership.id, by: f.principal(f.priya)) {
                    .init(overlapID: UUID())
                }
            }
            // Quarry Data hides its prospects: Halyard cannot start a deal on Northwind.
            await #expect(throws: WorkflowError.notFound("target account")) {
                try await w.targets.openDeal(in: f.partnership.id, by: f.principal(f.marcus)) {
                    .init(overlapID: northwind)
                }
            }
            _ = try await w.partnerships.end(f.partnership.id, reason: "Done for now", by: f.principal(f.daniel))
            await #expect(throws: WorkflowError.conflict("The partnership is ended: nothing is shared in it.")) {
                try await w.targets.openDeal(in: f.partnership.id, by: f.principal(f.priya), onTarget: unread)
            }
        }
    }

    @Test(
        "starting a deal on a target is all or nothing: no playbook leaves no joint account and no link",
        arguments: StoreKind.all)
    func openDealAllOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await MappingSeed.write(f, probe)
            let target = try #require(try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.priya)).first)
            try await MappingSeed.removePlaybooks(probe)
            await #expect(throws: WorkflowError.conflict("The standard playbook is missing; run cosell migrate.")) {
                try await w.targets.openDeal(in: f.partnership.id, by: f.principal(f.priya)) {
                    .init(overlapID: target.overlapID)
                }
            }
            let after = try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.priya))
            #expect(after.allSatisfy { $0.jointAccountID == nil })
            #expect(try await probe.jointAccountNames(f.partnership.id) == ["Northwind Logistics"])
        }
    }
}
