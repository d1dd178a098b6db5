import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The partnership verbs, on every store.
@Suite("Partnership workflows")
struct PartnershipWorkflowsTests {
    let f = WorkflowFixture()

    @Test(
        "ending a partnership ends its open deals with the reason, audited for both companies", arguments: StoreKind.all
    )
    func ends(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let deal = try await f.openDeal(w)
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
            let deal = try await f.openDeal(w)
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.partnerships.end(f.partnership.id, reason: "Done for now", by: f.principal(f.daniel))
            }
            #expect(try await w.store.partnership(f.partnership.id)?.status == .active)
            #expect(try await w.store.deal(deal.id)?.status == .open)
            #expect(try await probe.timeline(deal.id).count == 1)
        }
    }

    @Test("an admin invites another organization by its domain: pending, audited for both", arguments: StoreKind.all)
    func invites(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let ps = try await w.partnerships.invite(by: f.principal(f.daniel)) {
                .init(name: "  Quarry Data + Beacon Cloud ", partnerDomain: " BeaconCloud.example")
            }
            #expect(ps.status == .pending)
            #expect(ps.name == "Quarry Data + Beacon Cloud")
            #expect(ps.organizationIDs == [f.quarry.id, f.outsider.id])
            #expect(ps.invitedBy == f.quarry.id)
            #expect(try await w.store.partnership(ps.id)?.status == .pending)
            #expect(try await probe.auditKinds(f.outsider.id) == ["partnership_invited"])
            // Olga's admin accepts; Quarry Data cannot accept its own invitation.
            await #expect(
                throws: WorkflowError.conflict(
                    "Your organization sent this invitation; the other organization accepts it.")
            ) {
                try await w.partnerships.accept(ps.id, by: f.principal(f.daniel))
            }
            #expect(try await w.partnerships.accept(ps.id, by: f.principal(f.olga)).status == .active)
        }
    }

    @Test(
        "an invitation is refused to a non-admin, for an unknown domain, one's own, and a second time",
        arguments: StoreKind.all)
    func inviteRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            await #expect(throws: WorkflowError.forbidden("Only admins start partnerships.")) {
                try await w.partnerships.invite(by: f.principal(f.priya)) {
                    .init(name: "x", partnerDomain: "beaconcloud.example")
                }
            }
            for domain in ["nowhere.example", "quarrydata.example"] {
                await #expect(
                    throws: WorkflowError.invalid(
                        field: "partner_domain", "No other organization on this server uses that domain.")
                ) {
                    try await w.partnerships.invite(by: f.principal(f.daniel)) {
                        .init(name: "x", partnerDomain: domain)
                    }
                }
            }
            await #expect(throws: WorkflowError.invalid(field: "name", "name must be 1 to 200 characters.")) {
                try await w.partnerships.invite(by: f.principal(f.daniel)) {
                    .init(name: "  ", partnerDomain: "beaconcloud.example")
                }
            }
            await #expect(
                throws: WorkflowError.conflict("A partnership with that organization exists or is pending already.")
            ) {
                try await w.partnerships.invite(by: f.principal(f.marcus)) {
                    .init(name: "Again", partnerDomain: "quarrydata.example")
                }
            }
        }
    }

    @Test("an admin sets what their organization shares, audited for both; others cannot", arguments: StoreKind.all)
    func sharing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            _ = try await w.partnerships.setSharing(in: f.partnership.id, by: f.principal(f.marcus)) {
                .init(population: "customer", level: .overlappingAccounts)
            }
            #expect(
                try await probe.sharingLevel(f.partnership.id, f.halyard.id, "customer") == .overlappingAccounts)
            #expect(try await probe.auditKinds(f.quarry.id) == ["sharing_changed"])
            await #expect(throws: WorkflowError.forbidden("Only admins change sharing.")) {
                try await w.partnerships.setSharing(in: f.partnership.id, by: f.principal(f.priya)) {
                    .init(population: "customer", level: .allAccounts)
                }
            }
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.partnerships.setSharing(in: f.partnership.id, by: f.principal(f.olga)) {
                    .init(population: "customer", level: .allAccounts)
                }
            }
        }
    }
}
