import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The partnership verbs, on every store.
@Suite("Partnership workflows")
struct PartnershipWorkflowsTests {
    let f = WorkflowFixture()

    func openDeal(_ w: Workflows) async throws -> Deal {
        try await w.deals.open(
            OpenDeal(partnershipID: f.partnership.id, jointAccountID: f.account.id, title: "Northwind rollout"),
            by: f.principal(f.daniel)
        ).deal
    }

    @Test(
        "ending a partnership ends its open deals with the reason, audited for both companies", arguments: StoreKind.all
    )
    func ends(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let deal = try await openDeal(w)
            let ended = try await w.partnerships.end(
                f.partnership.id, reason: "  Halyard Security changed its go-to-market  ", by: f.principal(f.marcus))
            #expect(ended.status == .ended)
            #expect(ended.endedBy == f.halyard.id)
            #expect(ended.endedReason == "Halyard Security changed its go-to-market")
            #expect(try await w.store.partnership(f.partnership.id)?.status == .ended)
            let stored = try #require(try await w.store.deal(deal.id))
            #expect(stored.status != .open)
            let last = try #require(try await probe.timeline(deal.id).last)
            #expect(last.summary.contains("Halyard Security ended the partnership"))
            #expect(try await probe.auditKinds(f.quarry.id) == ["partnership_ended"])
            #expect(try await probe.auditKinds(f.halyard.id) == ["partnership_ended"])
        }
    }

    @Test("ending is refused to non-admins, to outsiders, without a reason, and twice", arguments: StoreKind.all)
    func endRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.partnerships.end(f.partnership.id, reason: "Not ours", by: f.principal(f.olga))
            }
            await #expect(throws: WorkflowError.forbidden("Only admins end partnerships.")) {
                try await w.partnerships.end(f.partnership.id, reason: "Not mine", by: f.principal(f.priya))
            }
            await #expect(throws: WorkflowError.invalid(field: "reason", "Give a written reason.")) {
                try await w.partnerships.end(f.partnership.id, reason: " x ", by: f.principal(f.daniel))
            }
            _ = try await w.partnerships.end(f.partnership.id, reason: "Done for now", by: f.principal(f.daniel))
            await #expect(throws: WorkflowError.conflict("The partnership has ended already.")) {
                try await w.partnerships.end(f.partnership.id, reason: "Again", by: f.principal(f.marcus))
            }
        }
    }

    @Test(
        "ending is all or nothing: a failed audit line leaves the partnership and its deals as they were",
        arguments: StoreKind.all)
    func endAllOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let deal = try await openDeal(w)
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.partnerships.end(f.partnership.id, reason: "Done for now", by: f.principal(f.daniel))
            }
            #expect(try await w.store.partnership(f.partnership.id)?.status == .active)
            #expect(try await w.store.deal(deal.id)?.status == .open)
            #expect(try await probe.timeline(deal.id).count == 1)
        }
    }
}
