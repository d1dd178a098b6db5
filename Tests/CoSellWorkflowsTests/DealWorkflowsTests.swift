import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The deal verbs, each run on every store: in memory, SQLite, and PostgreSQL when configured.
@Suite("Deal workflows")
struct DealWorkflowsTests {
    let f = WorkflowFixture()

    @Test("opening a deal writes it at stage one with one timeline entry", arguments: StoreKind.all)
    func opens(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let deal = try await f.openDeal(w)
            let stored = try #require(try await w.store.deal(deal.id))
            #expect(stored.stageIndex == 0)
            #expect(stored.hostOrganizationID == f.quarry.id)
            #expect(stored.createdAt == f.now)
            #expect(try await probe.timeline(deal.id).map(\.kind) == ["deal_opened"])
        }
    }

    @Test("a command is applied, saved at the next version, and appended to the timeline", arguments: StoreKind.all)
    func applies(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let deal = try await f.openDeal(w)
            let r = try await w.deals.apply(
                .recordIcpFit(fit: .strong, note: nil), to: deal.id, by: f.principal(f.marcus))
            #expect(r.deal.version == deal.version + 1)
            #expect(r.at == f.now)
            #expect(try await w.store.deal(deal.id)?.evidence.targetSelection.icpFit.partner?.fit == .strong)
            #expect(
                try await probe.timeline(deal.id).map(\.kind) == ["deal_opened", "icp_fit_recorded", "move_completed"])
        }
    }

    @Test("both companies meet the first gate and the deal advances", arguments: StoreKind.all)
    func advances(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let deal = try await f.openDeal(w)
            for person in [f.daniel, f.marcus] {
                _ = try await w.deals.apply(
                    .recordIcpFit(fit: .strong, note: nil), to: deal.id, by: f.principal(person))
                _ = try await w.deals.apply(.commit, to: deal.id, by: f.principal(person))
            }
            let r = try await w.deals.apply(.advance(overrideReason: nil), to: deal.id, by: f.principal(f.daniel))
            #expect(r.deal.stageIndex == 1)
            #expect(try await w.store.deal(deal.id)?.stageIndex == 1)
        }
    }

    @Test(
        "a closed gate is refused, remembered for the review, and leaves the deal as it was", arguments: StoreKind.all)
    func refusedGate(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let deal = try await f.openDeal(w)
            await #expect {
                try await w.deals.apply(.advance(overrideReason: nil), to: deal.id, by: f.principal(f.daniel))
            } throws: { error in
                guard case DealError.gateClosed(let report) = error else { return false }
                return !report.unmet.isEmpty
            }
            #expect(try await w.store.deal(deal.id)?.version == deal.version)
            let refusals = try await probe.refusals(f.partnership.id)
            #expect(refusals.map(\.dealID) == [deal.id])
            #expect(refusals.first?.actorName == "Daniel Reyes")
            #expect(refusals.first?.at == f.now)
        }
    }

    @Test(
        "an admin's override of the other company's part is asked, confirmed by that company's admin, and audited in both",
        arguments: StoreKind.all)
    func overrideAudited(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let deal = try await f.openDeal(w)
            // Halyard's fit and commitment are missing too: Daniel (Quarry) asks, Marcus (Halyard) confirms.
            let asked = try await w.deals.apply(
                .advance(overrideReason: "The customer asked for a joint call already"), to: deal.id,
                by: f.principal(f.daniel))
            #expect(asked.deal.stageIndex == 0)
            #expect(try await probe.auditKinds(f.quarry.id) == ["override_requested"])
            let r = try await w.deals.apply(
                .advance(overrideReason: "Agreed: Halyard commits after the call"), to: deal.id,
                by: f.principal(f.marcus))
            #expect(r.deal.stageIndex == 1)
            #expect(r.deal.passages.last?.confirmedBy == f.marcus.id)
            // (The database's log lists the newest first.)
            for org in [f.quarry.id, f.halyard.id] {
                #expect(try await probe.auditKinds(org).sorted() == ["gate_overridden", "override_requested"])
            }
        }
    }

    @Test("an If-Match naming an older version is refused and changes nothing", arguments: StoreKind.all)
    func staleVersion(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let deal = try await f.openDeal(w)
            _ = try await w.deals.apply(.commit, to: deal.id, by: f.principal(f.marcus))
            await #expect(throws: WorkflowError.staleVersion(sent: "\"\(deal.version)\"", current: deal.version + 1)) {
                try await w.deals.apply(
                    .recordIcpFit(fit: .partial, note: nil), to: deal.id, by: f.principal(f.daniel),
                    ifMatch: IfMatch(header: "\"\(deal.version)\""))
            }
            #expect(try await w.store.deal(deal.id)?.version == deal.version + 1)
            #expect(try await w.store.deal(deal.id)?.evidence.targetSelection.icpFit.host == nil)
        }
    }

    @Test("another company's people cannot see the deal; a read-only token cannot change it", arguments: StoreKind.all)
    func access(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let deal = try await f.openDeal(w)
            await #expect(throws: WorkflowError.notFound("deal")) {
                try await w.deals.apply(.commit, to: deal.id, by: f.principal(f.olga))
            }
            await #expect(throws: WorkflowError.notFound("deal")) {
                try await w.deals.apply(.commit, to: UUID(), by: f.principal(f.daniel))
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.deals.apply(.commit, to: deal.id, by: f.principal(f.marcus, scope: .read))
            }
            #expect(try await w.store.deal(deal.id)?.version == deal.version)
        }
    }

    @Test("opening names the field of an unknown partnership or account", arguments: StoreKind.all)
    func openRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            await #expect(throws: WorkflowError.notFound("partnership", field: "partnership_id")) {
                try await w.deals.open(
                    OpenDeal(partnershipID: f.partnership.id, jointAccountID: f.account.id, title: "x"),
                    by: f.principal(f.olga))
            }
            await #expect(
                throws: WorkflowError.notFound("joint account in this partnership", field: "joint_account_id")
            ) {
                try await w.deals.open(
                    OpenDeal(partnershipID: f.partnership.id, jointAccountID: UUID(), title: "x"),
                    by: f.principal(f.daniel))
            }
        }
    }

    @Test(
        "the body is judged only after visibility: a command that cannot be built is not reached",
        arguments: StoreKind.all)
    func commandAfterChecks(_ kind: StoreKind) async throws {
        struct BadBody: Error {}
        try await f.run(kind) { w, _ in
            let deal = try await f.openDeal(w)
            await #expect(throws: WorkflowError.notFound("deal")) {
                try await w.deals.apply(to: deal.id, by: f.principal(f.olga)) { _, _ in throw BadBody() }
            }
            await #expect(throws: BadBody.self) {
                try await w.deals.apply(to: deal.id, by: f.principal(f.marcus)) { _, _ in throw BadBody() }
            }
        }
    }

    @Test("a unit of work whose last step fails writes nothing", arguments: StoreKind.all)
    func allOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let deal = try await f.openDeal(w)
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            // The override saves the deal, queues its events, then fails writing the audit line.
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.deals.apply(
                    .advance(overrideReason: "The customer asked for a joint call already"), to: deal.id,
                    by: f.principal(f.daniel))
            }
            let stored = try #require(try await w.store.deal(deal.id))
            #expect(stored.stageIndex == 0)
            #expect(stored.version == deal.version)
            #expect(try await probe.timeline(deal.id).map(\.kind) == ["deal_opened"])
        }
    }
}
